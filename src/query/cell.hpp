#pragma once
// One value of a query's result and its text, the way cqlsh shows it: what the renderers of
// output.hpp print, whatever the format.

#include <cstdint>
#include <string>
#include <variant>

#include "rating/time_zone.hpp"
#include "store/session.hpp"

namespace ratingstream::query {

// A number with exactly two decimals, as hundredths ("97.33" is 9733): the exact average of Q1,
// printed without binary floating-point noise.
struct Hundredths {
  std::int64_t value = 0;
  friend bool operator==(const Hundredths&, const Hundredths&) = default;
};

// A value read from Cassandra (store::Value, std::monostate is null) or computed by a question.
using Cell = std::variant<std::monostate, std::string, std::int32_t, std::int64_t, store::Timestamp, store::Uuid,
                          double, bool, Hundredths>;

Cell to_cell(store::Value value);

// cqlsh's timestamp format in `zone`: `2025-03-13 19:26:50.863000+0000`. It is also a time that
// --from and --to read back.
std::string format_timestamp(store::Timestamp timestamp, const rating::TimeZone& zone);

// Lower-case hex with dashes: `a3d74a49-7807-41a0-9ba7-0518eb115378`.
std::string format_uuid(const store::Uuid& uuid);

// "97.33", "-0.50", "0.00".
std::string format_hundredths(Hundredths number);

// The text of a non-null cell in every format: numbers in C locale, booleans `True`/`False` as
// cqlsh prints them for the table (the JSON writer uses its own literals), doubles in the
// shortest form that reads back the same value. Null gives "" (each renderer shows it its way).
std::string cell_text(const Cell& cell, const rating::TimeZone& zone);

}  // namespace ratingstream::query
