#include "common/json.hpp"

#include <cmath>

namespace ratingstream {

std::string json_text(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string json_string(std::string_view text) { return json_text(Json(std::string(text))); }

Json json_number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json json_rounded(double value, int decimals) {
  if (!std::isfinite(value)) return nullptr;
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(value * scale) / scale;
  return std::isfinite(rounded) ? Json(rounded) : Json(value);
}

}  // namespace ratingstream
