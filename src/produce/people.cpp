#include "produce/people.hpp"

#include <fmt/format.h>

#include <unordered_set>

#include "common/errors.hpp"
#include "common/setting.hpp"
#include "produce/name_data.hpp"
#include "produce/rating_generator.hpp"

namespace ratingstream::produce {
namespace {

std::string full_name(std::string_view first, std::string_view last) {
  std::string name;
  name.reserve(first.size() + 1 + last.size());
  name.append(first).append(" ").append(last);
  return name;
}

bool is_pool_name(std::string_view name) {
  for (const auto first : first_names()) {
    if (!name.starts_with(first) || name.size() <= first.size() || name[first.size()] != ' ') continue;
    const std::string_view rest = name.substr(first.size() + 1);
    for (const auto last : last_names()) {
      if (rest == last) return true;
    }
  }
  return false;
}

}  // namespace

std::size_t max_generated_people(std::string_view own_name) {
  const std::size_t combinations = first_names().size() * last_names().size();
  return is_pool_name(own_name) ? combinations - 1 : combinations;
}

std::vector<std::string> make_people(std::size_t count, std::string_view own_name, std::uint64_t seed) {
  const std::size_t limit = max_generated_people(own_name);
  if (count > limit) {
    throw InputError(fmt::format("{} {}: at most {} distinct names can be generated", Setting::people, count, limit));
  }
  RandomSource random(seed);
  const auto firsts = first_names();
  const auto lasts = last_names();

  std::vector<std::string> people;
  people.reserve(count + 1);
  if (count <= limit / 2) {
    // Draw and reject repeats: few repeats when at most half the combinations are wanted (the
    // default of 14 among ~165,000 almost never repeats).
    std::unordered_set<std::string> taken;
    if (!own_name.empty()) taken.emplace(own_name);
    while (people.size() < count) {
      std::string name = full_name(firsts[random.below(firsts.size())], lasts[random.below(lasts.size())]);
      if (taken.insert(name).second) people.push_back(std::move(name));
    }
  } else {
    // Most combinations wanted: shuffle all of them partially (Fisher-Yates) instead.
    std::vector<std::uint32_t> combos(firsts.size() * lasts.size());
    for (std::size_t i = 0; i < combos.size(); ++i) combos[i] = static_cast<std::uint32_t>(i);
    for (std::size_t i = 0; people.size() < count; ++i) {
      std::swap(combos[i], combos[i + random.below(combos.size() - i)]);
      std::string name = full_name(firsts[combos[i] / lasts.size()], lasts[combos[i] % lasts.size()]);
      if (name != own_name) people.push_back(std::move(name));
    }
  }
  if (!own_name.empty()) people.emplace_back(own_name);
  return people;
}

}  // namespace ratingstream::produce
