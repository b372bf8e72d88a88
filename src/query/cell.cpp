#include "query/cell.hpp"

#include <fmt/format.h>
#include <uuid/uuid.h>

#include <chrono>
#include <cstdlib>
#include <type_traits>

namespace ratingstream::query {

Cell to_cell(store::Value value) {
  return std::visit([](auto&& v) -> Cell { return Cell(std::forward<decltype(v)>(v)); }, std::move(value));
}

std::string format_timestamp(store::Timestamp timestamp, const rating::TimeZone& zone) {
  using namespace std::chrono;
  const std::int32_t offset = zone.offset_at(floor<seconds>(milliseconds{timestamp.millis}).count());
  const sys_time<milliseconds> local{milliseconds{timestamp.millis + std::int64_t{offset} * 1000}};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const std::int64_t ms = (local - day).count();  // non-negative: floor rounds towards the past
  const std::int32_t offset_minutes = std::abs(offset) / 60;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}000{}{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), ms / 3'600'000,
                     ms / 60'000 % 60, ms / 1000 % 60, ms % 1000, offset < 0 ? '-' : '+', offset_minutes / 60,
                     offset_minutes % 60);
}

std::string format_uuid(const store::Uuid& uuid) {
  char text[37];
  uuid_unparse_lower(uuid.data(), text);
  return text;
}

std::string format_hundredths(Hundredths number) {
  // Magnitude as unsigned: -INT64_MIN does not fit an int64.
  const bool negative = number.value < 0;
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(number.value) : static_cast<std::uint64_t>(number.value);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string cell_text(const Cell& cell, const rating::TimeZone& zone) {
  return std::visit(
      [&zone](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, store::Timestamp>) {
          return format_timestamp(v, zone);
        } else if constexpr (std::is_same_v<T, store::Uuid>) {
          return format_uuid(v);
        } else if constexpr (std::is_same_v<T, Hundredths>) {
          return format_hundredths(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "True" : "False";
        } else {  // int32, int64, double
          return fmt::format("{}", v);
        }
      },
      cell);
}

}  // namespace ratingstream::query
