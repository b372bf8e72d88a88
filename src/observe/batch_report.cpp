#include "observe/batch_report.hpp"

#include <fmt/format.h>

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
  std::string line = fmt::format("batch {}: in {}, written {}, unmatched {}, rejected {}", r.batch,
                                 r.records_in, r.written, r.unmatched, r.rejected);
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
  // Reason names are fixed identifiers ([a-z_]), so they need no escaping.
  std::string reasons = "{";
  for (std::size_t i = 0; i < r.rejected_by_reason.size(); ++i) {
    if (i) reasons += ",";
    reasons += fmt::format("\"{}\":{}", r.rejected_by_reason[i].first, r.rejected_by_reason[i].second);
  }
  reasons += "}";
  return fmt::format(
      "{{\"batch\":{},\"records_in\":{},\"written\":{},\"unmatched\":{},\"rejected\":{},"
      "\"rejected_by_reason\":{},\"input_rate\":{:.1f},\"processing_rate\":{:.1f},"
      "\"duration_seconds\":{:.6f},\"lag\":{}}}",
      r.batch, r.records_in, r.written, r.unmatched, r.rejected, reasons, r.input_rate,
      r.processing_rate, r.duration_seconds, r.lag < 0 ? std::string("null") : std::to_string(r.lag));
}

std::string format_progress(const BatchReport& report, ProgressFormat format) {
  return format == ProgressFormat::json ? format_progress_json(report) : format_progress_text(report);
}

}  // namespace ratingstream::observe
