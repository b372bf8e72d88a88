#include "rating/time_zone.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "common/errors.hpp"

namespace ratingstream::rating {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
// A rule from a TZif footer is unrolled into explicit transitions up to this year; later instants
// keep the offset of the last transition (years past 2200 are not expected in ratings).
constexpr int kLastRuleYear = 2200;
// No zone is more than 26 hours from UTC; wider windows only cost a few comparisons.
constexpr std::int64_t kMaxOffsetSeconds = 26 * 3600;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_utc_alias(std::string_view name) {
  for (std::string_view alias : {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"}) {
    if (equals_ignoring_case(name, alias)) return true;
  }
  return false;
}

// An IANA name is a relative path of letters, digits and "/_+-". Anything else (absolute paths,
// "..") could read an arbitrary file, so it is refused before the file system is touched.
bool is_plausible_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '+' || c == '-')) {
      return false;
    }
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

std::filesystem::path tz_database_dir() {
  const char* dir = std::getenv("TZDIR");
  return (dir != nullptr && *dir != '\0') ? std::filesystem::path(dir) : "/usr/share/zoneinfo";
}

// ---- TZif (RFC 8536) -------------------------------------------------------------------------

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::size_t position() const { return pos_; }
  void skip(std::size_t n) { pos_ += n; }
  std::string_view take(std::size_t n) {
    const auto out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  std::int64_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return static_cast<std::int64_t>(v);
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

std::optional<TzifHeader> read_header(ByteReader& in) {
  if (!in.has(44) || in.take(4) != "TZif") return std::nullopt;
  TzifHeader h;
  h.version = static_cast<char>(in.u8());
  in.skip(15);
  h.isutcnt = in.u32();
  h.isstdcnt = in.u32();
  h.leapcnt = in.u32();
  h.timecnt = in.u32();
  h.typecnt = in.u32();
  h.charcnt = in.u32();
  // Limits far above any real zone keep the size arithmetic below from overflowing.
  if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100'000 || h.leapcnt > 10'000 ||
      h.charcnt > 100'000 || (h.isutcnt != 0 && h.isutcnt != h.typecnt) ||
      (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)) {
    return std::nullopt;
  }
  return h;
}

std::size_t data_block_size(const TzifHeader& h, std::size_t time_size) {
  return h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt +
         h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt;
}

struct TzifData {
  std::vector<std::int64_t> times;
  std::vector<std::uint8_t> type_of_time;
  std::vector<std::int32_t> type_offsets;
  std::string footer;  // the POSIX TZ string, empty when absent
};

std::optional<TzifData> read_data_block(ByteReader& in, const TzifHeader& h, std::size_t time_size) {
  if (!in.has(data_block_size(h, time_size))) return std::nullopt;
  TzifData d;
  d.times.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) d.times.push_back(time_size == 8 ? in.i64() : in.i32());
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    const std::uint8_t type = in.u8();
    if (type >= h.typecnt) return std::nullopt;
    d.type_of_time.push_back(type);
  }
  for (std::uint32_t i = 0; i < h.typecnt; ++i) {
    const auto offset = in.i32();
    in.skip(2);  // isdst, desigidx: the offset is all a conversion needs
    if (offset <= -kMaxOffsetSeconds || offset >= kMaxOffsetSeconds) return std::nullopt;
    d.type_offsets.push_back(static_cast<std::int32_t>(offset));
  }
  in.skip(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
  if (!std::is_sorted(d.times.begin(), d.times.end())) return std::nullopt;
  return d;
}

// ---- POSIX TZ strings (the TZif footer), e.g. "EET-2EEST,M3.5.0/3,M10.5.0/4" ----------------

struct RuleDate {
  enum class Kind { julian_no_leap, zero_based, month_week_day } kind = Kind::month_week_day;
  int day = 0;  // Jn: 1..365; n: 0..365; Mm.w.d: weekday 0..6 (Sunday = 0)
  int month = 0, week = 0;
  std::int64_t time = 2 * 3600;  // local time of day of the change, may be negative or > 24h
};

struct PosixRule {
  std::int32_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  std::int32_t dst_offset = 0;
  RuleDate start, end;  // start: std -> dst, in standard time; end: dst -> std, in daylight time
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  std::optional<PosixRule> parse() {
    PosixRule rule;
    if (!zone_name()) return std::nullopt;
    const auto std_off = hms(true);
    if (!std_off) return std::nullopt;
    rule.std_offset = static_cast<std::int32_t>(-*std_off);  // POSIX counts west as positive
    if (at_end()) return rule;
    if (!zone_name()) return std::nullopt;
    rule.has_dst = true;
    rule.dst_offset = rule.std_offset + 3600;
    if (!at_end() && peek() != ',') {
      const auto dst_off = hms(true);
      if (!dst_off) return std::nullopt;
      rule.dst_offset = static_cast<std::int32_t>(-*dst_off);
    }
    if (at_end()) {  // POSIX's default rule: the US one
      rule.start = {RuleDate::Kind::month_week_day, 0, 3, 2, 2 * 3600};
      rule.end = {RuleDate::Kind::month_week_day, 0, 11, 1, 2 * 3600};
      return rule;
    }
    if (!consume(',') || !rule_date(rule.start) || !consume(',') || !rule_date(rule.end) || !at_end()) {
      return std::nullopt;
    }
    return rule;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool consume(char c) {
    if (at_end() || peek() != c) return false;
    ++pos_;
    return true;
  }

  bool zone_name() {
    if (consume('<')) {
      const auto close = text_.find('>', pos_);
      if (close == std::string_view::npos) return false;
      pos_ = close + 1;
      return true;
    }
    const std::size_t start = pos_;
    while (!at_end() && std::isalpha(static_cast<unsigned char>(peek()))) ++pos_;
    return pos_ - start >= 3;
  }

  std::optional<int> number(int max_digits) {
    int value = 0, digits = 0;
    while (!at_end() && digits < max_digits && std::isdigit(static_cast<unsigned char>(peek()))) {
      value = value * 10 + (peek() - '0');
      ++pos_;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  // [+-]h[h[h]][:mm[:ss]] as seconds.
  std::optional<std::int64_t> hms(bool allow_sign) {
    int sign = 1;
    if (allow_sign && consume('-')) {
      sign = -1;
    } else if (allow_sign) {
      consume('+');
    }
    const auto h = number(3);
    if (!h || *h > 167) return std::nullopt;
    std::int64_t seconds = *h * 3600;
    if (consume(':')) {
      const auto m = number(2);
      if (!m || *m > 59) return std::nullopt;
      seconds += *m * 60;
      if (consume(':')) {
        const auto s = number(2);
        if (!s || *s > 59) return std::nullopt;
        seconds += *s;
      }
    }
    return sign * seconds;
  }

  bool rule_date(RuleDate& date) {
    if (consume('J')) {
      const auto n = number(3);
      if (!n || *n < 1 || *n > 365) return false;
      date = {RuleDate::Kind::julian_no_leap, *n, 0, 0, 2 * 3600};
    } else if (consume('M')) {
      const auto m = number(2);
      if (!m || *m < 1 || *m > 12 || !consume('.')) return false;
      const auto w = number(1);
      if (!w || *w < 1 || *w > 5 || !consume('.')) return false;
      const auto d = number(1);
      if (!d || *d > 6) return false;
      date = {RuleDate::Kind::month_week_day, *d, *m, *w, 2 * 3600};
    } else {
      const auto n = number(3);
      if (!n || *n > 365) return false;
      date = {RuleDate::Kind::zero_based, *n, 0, 0, 2 * 3600};
    }
    if (consume('/')) {
      const auto t = hms(true);  // RFC 8536 extends POSIX: -167..167 hours
      if (!t) return false;
      date.time = *t;
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The local midnight (as seconds, local time counted as UTC) of a rule date in `year`.
std::int64_t rule_day_start(const RuleDate& date, int year) {
  using namespace std::chrono;
  sys_days day;
  switch (date.kind) {
    case RuleDate::Kind::julian_no_leap: {
      day = sys_days{std::chrono::year{year} / January / 1} + days{date.day - 1};
      // Jn never counts February 29: from March on, a leap year is one day further.
      if (std::chrono::year{year}.is_leap() && date.day >= 60) day += days{1};
      break;
    }
    case RuleDate::Kind::zero_based:
      day = sys_days{std::chrono::year{year} / January / 1} + days{date.day};
      break;
    case RuleDate::Kind::month_week_day: {
      const auto ym = std::chrono::year{year} / month{static_cast<unsigned>(date.month)};
      const weekday wd{static_cast<unsigned>(date.day)};
      day = date.week == 5 ? sys_days{ym / wd[last]} : sys_days{ym / wd[static_cast<unsigned>(date.week)]};
      break;
    }
  }
  return day.time_since_epoch().count() * kSecondsPerDay;
}

int year_of(std::int64_t utc_seconds) {
  using namespace std::chrono;
  const sys_days day{days{utc_seconds >= 0 ? utc_seconds / kSecondsPerDay
                                           : (utc_seconds - kSecondsPerDay + 1) / kSecondsPerDay}};
  return static_cast<int>(year_month_day{day}.year());
}

}  // namespace

TimeZone TimeZone::utc() {
  TimeZone zone;
  zone.name_ = "UTC";
  zone.is_utc_ = true;
  return zone;
}

TimeZone TimeZone::named(std::string_view name) {
  if (is_utc_alias(name)) return utc();
  const auto dir = tz_database_dir();
  const auto unknown = [&] {
    return InputError("unknown time zone \"" + std::string(name) + "\": not in the tz database (" +
                      dir.string() + "); use an IANA name such as Europe/Athens, or UTC");
  };
  if (!is_plausible_zone_name(name)) throw unknown();
  const auto path = dir / std::filesystem::path(std::string(name));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw unknown();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("time zone \"" + std::string(name) + "\": cannot read " + path.string() +
                     "; check the tzdata package's permissions");
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw unknown();
  return from_tzif(name, bytes);
}

TimeZone TimeZone::from_tzif(std::string_view name, std::string_view tzif) {
  const auto invalid = [&] {
    return InputError("time zone \"" + std::string(name) +
                      "\": its tz database file is not valid TZif; reinstall the tzdata package");
  };
  ByteReader in(tzif);
  auto header = read_header(in);
  if (!header) throw invalid();
  std::optional<TzifData> data;
  if (header->version == '\0') {
    data = read_data_block(in, *header, 4);
  } else {
    // Version 2 and later repeat everything with 64-bit times, followed by the footer.
    if (!in.has(data_block_size(*header, 4))) throw invalid();
    in.skip(data_block_size(*header, 4));
    header = read_header(in);
    if (!header) throw invalid();
    data = read_data_block(in, *header, 8);
    if (data && in.has(1) && in.u8() == '\n') {
      std::string footer;
      while (in.has(1)) {
        const char c = static_cast<char>(in.u8());
        if (c == '\n') break;
        footer.push_back(c);
      }
      data->footer = std::move(footer);
    }
  }
  if (!data) throw invalid();

  TimeZone zone;
  zone.name_ = std::string(name);
  zone.initial_offset_ = data->type_offsets[0];  // RFC 8536 3.2: type 0 applies before the first time
  for (std::size_t i = 0; i < data->times.size(); ++i) {
    zone.transitions_.push_back({data->times[i], data->type_offsets[data->type_of_time[i]]});
  }

  if (!data->footer.empty()) {
    const auto rule = PosixParser(data->footer).parse();
    if (!rule) throw invalid();
    const std::int64_t last = zone.transitions_.empty() ? INT64_MIN : zone.transitions_.back().at;
    if (!rule->has_dst) {
      if (zone.transitions_.empty()) {
        zone.initial_offset_ = rule->std_offset;
      } else if (zone.transitions_.back().offset != rule->std_offset) {
        zone.transitions_.push_back({last + 1, rule->std_offset});
      }
    } else {
      const int first_year = zone.transitions_.empty() ? 1970 : year_of(last);
      std::vector<Transition> generated;
      for (int year = first_year; year <= kLastRuleYear; ++year) {
        const std::int64_t to_dst = rule_day_start(rule->start, year) + rule->start.time - rule->std_offset;
        const std::int64_t to_std = rule_day_start(rule->end, year) + rule->end.time - rule->dst_offset;
        // Equal instants (DST all year, "0/0,J365/25"): the change to DST is applied last.
        generated.push_back({to_std, rule->std_offset});
        generated.push_back({to_dst, rule->dst_offset});
      }
      std::stable_sort(generated.begin(), generated.end(),
                       [](const Transition& a, const Transition& b) { return a.at < b.at; });
      if (zone.transitions_.empty()) zone.initial_offset_ = rule->std_offset;
      for (const auto& t : generated) {
        if (t.at > last) zone.transitions_.push_back(t);
      }
    }
  }
  return zone;
}

std::int32_t TimeZone::offset_before(std::size_t transition) const {
  return transition == 0 ? initial_offset_ : transitions_[transition - 1].offset;
}

std::int32_t TimeZone::offset_at(std::int64_t utc_seconds) const {
  if (is_utc_) return 0;
  const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                                      [](std::int64_t t, const Transition& tr) { return t < tr.at; });
  return offset_before(static_cast<std::size_t>(after - transitions_.begin()));
}

std::int64_t TimeZone::to_utc(std::int64_t local_seconds) const {
  if (is_utc_) return local_seconds;
  // Only transitions within a day or so of the local time can decide its offset.
  const auto by_time = [](const Transition& tr, std::int64_t t) { return tr.at < t; };
  const auto first = static_cast<std::size_t>(
      std::lower_bound(transitions_.begin(), transitions_.end(), local_seconds - kMaxOffsetSeconds, by_time) -
      transitions_.begin());
  const auto stop = static_cast<std::size_t>(
      std::lower_bound(transitions_.begin(), transitions_.end(), local_seconds + kMaxOffsetSeconds, by_time) -
      transitions_.begin());

  // Each offset in force around then is a candidate; it is right when the instant it gives
  // really has that offset. Two right answers: the clocks were set back; take the earlier.
  std::optional<std::int64_t> earliest;
  for (std::size_t i = first; i <= stop; ++i) {
    const std::int32_t candidate = offset_before(i);
    const std::int64_t utc = local_seconds - candidate;
    if (offset_at(utc) == candidate && (!earliest || utc < *earliest)) earliest = utc;
  }
  if (earliest) return *earliest;

  // No right answer: the local time fell into a jump forward; read it with the offset before
  // the jump, which lands as far after the jump as the time was after its start.
  for (std::size_t i = first; i < stop; ++i) {
    const std::int32_t before = offset_before(i);
    const std::int32_t after = transitions_[i].offset;
    if (after > before && local_seconds >= transitions_[i].at + before &&
        local_seconds < transitions_[i].at + after) {
      return local_seconds - before;
    }
  }
  return local_seconds - offset_at(local_seconds);  // unreachable for a consistent table
}

}  // namespace ratingstream::rating
