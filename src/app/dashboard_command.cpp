// ratingstream dashboard: placeholder until its issue lands; the owner replaces this file.

#include <iostream>

#include "app/command_line.hpp"
#include "common/errors.hpp"

namespace ratingstream::app {

void add_dashboard_command(CLI::App& root, Action& chosen) {
  auto* command = root.add_subcommand("dashboard", "(not implemented yet)");
  command->allow_extras();
  command->callback([&chosen] {
    chosen = [] {
      std::cerr << "ratingstream dashboard: not implemented yet\n";
      return kExitFailure;
    };
  });
}

}  // namespace ratingstream::app
