#include "rating/timestamp.hpp"

#include <chrono>

namespace ratingstream::rating {
namespace {

void append_digits(std::string& out, std::int64_t value, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace

void append_utc_micros(std::string& out, std::int64_t micros_since_epoch) {
  using namespace std::chrono;
  const sys_time<microseconds> tp{microseconds{micros_since_epoch}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const auto in_day = tp - day;  // non-negative: floor rounds towards the past
  const std::int64_t us = in_day.count();
  append_digits(out, static_cast<int>(ymd.year()), 4);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  append_digits(out, us / 3'600'000'000LL, 2);
  out.push_back(':');
  append_digits(out, us / 60'000'000LL % 60, 2);
  out.push_back(':');
  append_digits(out, us / 1'000'000LL % 60, 2);
  out.push_back('.');
  append_digits(out, us % 1'000'000LL, 6);
  out.push_back('Z');
}

std::string format_utc_micros(std::int64_t micros_since_epoch) {
  std::string out;
  out.reserve(27);
  append_utc_micros(out, micros_since_epoch);
  return out;
}

}  // namespace ratingstream::rating
