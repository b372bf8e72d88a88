#include "rating/reject_reason.hpp"

namespace ratingstream::rating {

std::string_view to_string(RejectReason reason) {
  switch (reason) {
    case RejectReason::malformed_json: return "malformed_json";
    case RejectReason::missing_field: return "missing_field";
    case RejectReason::bad_type: return "bad_type";
    case RejectReason::rating_out_of_range: return "rating_out_of_range";
    case RejectReason::bad_timestamp: return "bad_timestamp";
    case RejectReason::too_large: return "too_large";
  }
  return "unknown";
}

}  // namespace ratingstream::rating
