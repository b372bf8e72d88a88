// ratingstream produce: placeholder until its issue lands; the owner replaces this file.

#include <iostream>

#include "app/command_line.hpp"
#include "common/errors.hpp"

namespace ratingstream::app {

void add_produce_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("produce", "(not implemented yet)");
  command->allow_extras();
  command->callback([&chosen] {
    chosen = [] {
      std::cerr << "ratingstream produce: not implemented yet\n";
      return kExitFailure;
    };
  });
}

}  // namespace ratingstream::app
