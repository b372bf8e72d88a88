#include "observe/batch_report.hpp"

#include <fmt/format.h>

#include "common/json.hpp"

namespace ratingstream::observe {
namespace {

// 950 -> "950", 1234 -> "1.2k", 2500000 -> "2.5M": rates read at a glance.
std::string human_rate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.1f}M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f}k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

std::string human_duration(double seconds) {
  if (seconds < 1) return fmt::format("{:.1f}ms", seconds * 1e3);
  return fmt::format("{:.2f}s", seconds);
}

}  // namespace

std::string format_progress_text(const BatchReport& r) {
  std::string line =
      fmt::format("batch {}: in {}, written {}, unmatched {}", r.batch, r.records_in, r.written, r.unmatched);
  if (r.expired != 0) line += fmt::format(", expired {}", r.expired);
  line += fmt::format(", rejected {}", r.rejected);
  if (!r.rejected_by_reason.empty()) {
    line += " (";
    for (std::size_t i = 0; i < r.rejected_by_reason.size(); ++i) {
      if (i) line += ", ";
      line += fmt::format("{} {}", r.rejected_by_reason[i].first, r.rejected_by_reason[i].second);
    }
    line += ")";
  }
  line += fmt::format(", input {}/s, processing {}/s, took {}, lag {}", human_rate(r.input_rate),
                      human_rate(r.processing_rate), human_duration(r.duration_seconds),
                      r.lag < 0 ? std::string("unknown") : std::to_string(r.lag));
  return line;
}

std::string format_progress_json(const BatchReport& r) {
  Json reasons = Json::object();
  for (const auto& [reason, count] : r.rejected_by_reason) reasons[reason] = count;
  return json_text({{"batch", r.batch},
                    {"records_in", r.records_in},
                    {"written", r.written},
                    {"unmatched", r.unmatched},
                    {"expired", r.expired},
                    {"rejected", r.rejected},
                    {"rejected_by_reason", reasons},
                    {"input_rate", json_rounded(r.input_rate, 1)},
                    {"processing_rate", json_rounded(r.processing_rate, 1)},
                    {"duration_seconds", json_rounded(r.duration_seconds, 6)},
                    {"lag", r.lag < 0 ? Json(nullptr) : Json(r.lag)}});
}

std::string format_progress(const BatchReport& report, ProgressFormat format) {
  return format == ProgressFormat::json ? format_progress_json(report) : format_progress_text(report);
}

}  // namespace ratingstream::observe
