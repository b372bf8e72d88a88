// The zone of zone-less timestamps: UTC arithmetic, named zones from the tz database (DST gaps
// and overlaps, southern hemisphere, years past the table), and TZif footers read alone.
// Expected instants were computed once with Python's zoneinfo and are written out here.

#include "rating/time_zone.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/errors.hpp"
#include "test_support.hpp"

namespace ratingstream::rating {
namespace {

// Seconds since the epoch of a local wall-clock time written as if it were UTC.
std::int64_t local(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{mo} / day{d}};
  return date.time_since_epoch().count() * 86'400LL + h * 3'600 + mi * 60 + s;
}

TEST(TimeZone, UtcIsTheIdentity) {
  const auto utc = TimeZone::utc();
  EXPECT_TRUE(utc.is_utc());
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.to_utc(1'741'894'010), 1'741'894'010);
  EXPECT_EQ(utc.offset_at(1'741'894'010), 0);
  for (const char* alias : {"UTC", "utc", "Etc/UTC", "GMT", "Z"}) EXPECT_TRUE(TimeZone::named(alias).is_utc()) << alias;
}

TEST(TimeZone, AthensInWinterAndSummer) {
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_FALSE(athens.is_utc());
  EXPECT_EQ(athens.name(), "Europe/Athens");
  EXPECT_EQ(athens.to_utc(local(2025, 1, 15, 12, 0)), 1'736'935'200);
  EXPECT_EQ(athens.to_utc(local(2025, 7, 1, 12, 0)), 1'751'360'400);
  EXPECT_EQ(athens.offset_at(1'736'935'200), 2 * 3600);
  EXPECT_EQ(athens.offset_at(1'751'360'400), 3 * 3600);
  EXPECT_EQ(athens.to_utc(local(1960, 6, 1, 12, 0)), -302'450'400);
}

TEST(TimeZone, SpringGapMovesForwardByTheJump) {
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_EQ(athens.to_utc(local(2025, 3, 30, 2, 59, 59)), 1'743'296'399);
  EXPECT_EQ(athens.to_utc(local(2025, 3, 30, 3, 0, 0)), 1'743'296'400);   // = 04:00 EEST
  EXPECT_EQ(athens.to_utc(local(2025, 3, 30, 3, 30, 0)), 1'743'298'200);  // = 04:30 EEST
  EXPECT_EQ(athens.to_utc(local(2025, 3, 30, 4, 0, 0)), 1'743'296'400);
  const auto new_york = TimeZone::named("America/New_York");
  EXPECT_EQ(new_york.to_utc(local(2024, 3, 10, 2, 30)), 1'710'055'800);
  const auto sao_paulo = TimeZone::named("America/Sao_Paulo");  // a gap at midnight (2018)
  EXPECT_EQ(sao_paulo.to_utc(local(2018, 11, 4, 0, 30)), 1'541'302'200);
}

TEST(TimeZone, AutumnOverlapTakesTheEarlierInstant) {
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_EQ(athens.to_utc(local(2025, 10, 26, 2, 59, 59)), 1'761'436'799);
  EXPECT_EQ(athens.to_utc(local(2025, 10, 26, 3, 30)), 1'761'438'600);  // EEST, not 1'761'442'200
  EXPECT_EQ(athens.to_utc(local(2025, 10, 26, 4, 0)), 1'761'444'000);
  const auto new_york = TimeZone::named("America/New_York");
  EXPECT_EQ(new_york.to_utc(local(2024, 11, 3, 1, 30)), 1'730'611'800);
}

TEST(TimeZone, SouthernHemisphereAndHalfHourZones) {
  const auto sydney = TimeZone::named("Australia/Sydney");
  EXPECT_EQ(sydney.to_utc(local(2025, 1, 15, 12, 0)), 1'736'902'800);  // AEDT +11
  EXPECT_EQ(sydney.to_utc(local(2025, 7, 15, 12, 0)), 1'752'544'800);  // AEST +10
  EXPECT_EQ(sydney.to_utc(local(2025, 4, 6, 2, 30)), 1'743'867'000);   // overlap: the earlier
  const auto kolkata = TimeZone::named("Asia/Kolkata");
  EXPECT_EQ(kolkata.to_utc(local(2025, 3, 13, 19, 26, 50)), 1'741'874'210);
  const auto dublin = TimeZone::named("Europe/Dublin");  // "negative DST" in the tz source
  EXPECT_EQ(dublin.to_utc(local(2025, 1, 15, 12, 0)), 1'736'942'400);
  EXPECT_EQ(dublin.to_utc(local(2025, 7, 15, 12, 0)), 1'752'577'200);
}

TEST(TimeZone, YearsPastTheTransitionTableFollowTheFooterRule) {
  const auto athens = TimeZone::named("Europe/Athens");
  EXPECT_EQ(athens.to_utc(local(2050, 1, 1, 12, 0)), 2'524'644'000);
  EXPECT_EQ(athens.to_utc(local(2050, 7, 1, 12, 0)), 2'540'278'800);
  EXPECT_EQ(athens.to_utc(local(2150, 10, 25, 3, 30)), 5'705'944'200);
}

// ---- TZif bytes built here, to exercise the reader without the system files ----------------

std::string be(std::int64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

// A version-2 TZif file: `transitions` (UTC second, index into `offsets`), `offsets` in seconds
// east of UTC, and the footer's POSIX TZ string.
std::string tzif(const std::vector<std::pair<std::int64_t, int>>& transitions, const std::vector<int>& offsets,
                 const std::string& footer) {
  const auto block = [&](int time_size) {
    std::string b = "TZif2" + std::string(15, '\0');
    for (const auto count : {0, 0, 0, static_cast<int>(transitions.size()), static_cast<int>(offsets.size()), 4}) {
      b += be(count, 4);  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    }
    for (const auto& t : transitions) b += be(t.first, time_size);
    for (const auto& t : transitions) b.push_back(static_cast<char>(t.second));
    for (const int offset : offsets) b += be(offset, 4) + std::string("\0\0", 2);
    b += std::string("ABC\0", 4);
    return b;
  };
  return block(4) + block(8) + "\n" + footer + "\n";
}

TEST(TimeZoneTzif, AFooterAloneDescribesAthens) {
  const auto zone = TimeZone::from_tzif("Slim/Athens", tzif({}, {7200}, "EET-2EEST,M3.5.0/3,M10.5.0/4"));
  EXPECT_EQ(zone.name(), "Slim/Athens");
  EXPECT_EQ(zone.to_utc(local(2025, 1, 15, 12, 0)), 1'736'935'200);
  EXPECT_EQ(zone.to_utc(local(2025, 7, 1, 12, 0)), 1'751'360'400);
  EXPECT_EQ(zone.to_utc(local(2025, 3, 30, 3, 30)), 1'743'298'200);
  EXPECT_EQ(zone.to_utc(local(2025, 10, 26, 3, 30)), 1'761'438'600);
  EXPECT_EQ(zone.to_utc(local(2050, 7, 1, 12, 0)), 2'540'278'800);
}

TEST(TimeZoneTzif, FooterWithSouthernRuleAndAngleBracketNames) {
  const auto sydney = TimeZone::from_tzif("Slim/Sydney", tzif({}, {36000}, "AEST-10AEDT,M10.1.0,M4.1.0/3"));
  EXPECT_EQ(sydney.to_utc(local(2025, 1, 15, 12, 0)), 1'736'902'800);
  EXPECT_EQ(sydney.to_utc(local(2025, 7, 15, 12, 0)), 1'752'544'800);
  const auto fixed = TimeZone::from_tzif("Slim/Plus3", tzif({}, {10800}, "<+03>-3"));
  EXPECT_EQ(fixed.to_utc(local(2025, 7, 1, 12, 0)), local(2025, 7, 1, 9, 0));
  EXPECT_EQ(fixed.offset_at(0), 10800);
}

TEST(TimeZoneTzif, ExplicitTransitionsThenTheFooter) {
  // +1 until 2000-01-01T00:00Z, +2 after, and the footer keeps +2.
  const std::int64_t y2k = 946'684'800;
  const auto zone = TimeZone::from_tzif("Test/Step", tzif({{y2k, 1}}, {3600, 7200}, "XXX-2"));
  EXPECT_EQ(zone.offset_at(y2k - 1), 3600);
  EXPECT_EQ(zone.offset_at(y2k), 7200);
  EXPECT_EQ(zone.to_utc(local(1999, 6, 1, 12, 0)), local(1999, 6, 1, 11, 0));
  EXPECT_EQ(zone.to_utc(local(2030, 6, 1, 12, 0)), local(2030, 6, 1, 10, 0));
}

TEST(TimeZoneTzif, BrokenFilesAreAnInputErrorNamingTheZone) {
  const std::string good = tzif({}, {7200}, "EET-2EEST,M3.5.0/3,M10.5.0/4");
  for (const std::string& bytes : {std::string(), std::string("TZif"), std::string("NotTZif at all, no"),
                                   good.substr(0, 60), tzif({}, {7200}, "EET-2EEST,M13.5.0/3,M10.5.0/4"),
                                   tzif({{0, 3}}, {7200}, "EET-2")}) {
    try {
      TimeZone::from_tzif("Broken/Zone", bytes);
      ADD_FAILURE() << "accepted " << bytes.size() << " bytes";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("Broken/Zone"), std::string::npos) << e.what();
    }
  }
}

TEST(TimeZone, UnknownOrUnsafeNamesAreAnInputErrorNamingThem) {
  for (const char* name : {"Mars/Olympus_Mons", "Europe/athens", "../../etc/passwd", "/etc/localtime",
                           "Europe//Athens", "", "Europe/Athens "}) {
    try {
      TimeZone::named(name);
      ADD_FAILURE() << "accepted " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + name + "\""), std::string::npos) << e.what();
    }
  }
}

TEST(TimeZone, TzdirChoosesTheDatabase) {
  testing::TempDir dir;
  dir.write("Test_Zone", tzif({}, {-3 * 3600}, "<-03>3"));
  const char* previous = std::getenv("TZDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TZDIR", dir.path().c_str(), 1);
  const auto zone = TimeZone::named("Test_Zone");
  EXPECT_THROW(TimeZone::named("Europe/Athens"), InputError);  // not in this database
  previous ? ::setenv("TZDIR", saved.c_str(), 1) : ::unsetenv("TZDIR");
  EXPECT_EQ(zone.to_utc(local(2025, 1, 1, 0, 0)), local(2025, 1, 1, 3, 0));
}

}  // namespace
}  // namespace ratingstream::rating
