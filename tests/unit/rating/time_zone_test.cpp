// The zone of zone-less timestamps: UTC arithmetic, named zones from the tz database (DST gaps
// and overlaps, southern hemisphere, years past the table), and $TZDIR with files made here.
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

// ---- TZif files built here, for a database of the test's own ($TZDIR) ----------------------

std::string be(std::int64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

struct LocalTimeType {
  int offset;  // seconds east of UTC
  bool dst;
  std::string abbreviation;
};

// A version-2 TZif file as zic writes with "-b slim": the transitions up to when the footer's
// POSIX TZ rule takes over (UTC second, index into `types`), and that rule, which then decides
// every later instant.
std::string slim_tzif(const std::vector<std::pair<std::int64_t, int>>& transitions,
                      const std::vector<LocalTimeType>& types, const std::string& footer) {
  std::string abbreviations;
  std::vector<std::size_t> abbreviation_at;
  for (const auto& type : types) {
    abbreviation_at.push_back(abbreviations.size());
    abbreviations += type.abbreviation + '\0';
  }
  const auto block = [&](int time_size) {
    std::string b = "TZif2" + std::string(15, '\0');
    for (const auto count :
         {std::size_t{0}, std::size_t{0}, std::size_t{0}, transitions.size(), types.size(), abbreviations.size()}) {
      b += be(static_cast<std::int64_t>(count), 4);  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    }
    for (const auto& t : transitions) b += be(t.first, time_size);
    for (const auto& t : transitions) b.push_back(static_cast<char>(t.second));
    for (std::size_t i = 0; i < types.size(); ++i) {
      b += be(types[i].offset, 4);
      b.push_back(types[i].dst ? '\1' : '\0');
      b.push_back(static_cast<char>(abbreviation_at[i]));
    }
    return b + abbreviations;
  };
  return block(4) + block(8) + "\n" + footer + "\n";
}

// Athens as a slim file lists it: summer time ends 1996-10-27T01:00Z, the rule follows.
std::string slim_athens() {
  return slim_tzif({{846'378'000, 1}}, {{10'800, true, "EEST"}, {7'200, false, "EET"}}, "EET-2EEST,M3.5.0/3,M10.5.0/4");
}

TEST(TimeZone, UnknownOrUnsafeNamesAreAnInputErrorNamingThem) {
  for (const char* name : {"Mars/Olympus_Mons", "Europe/athens", "../../etc/passwd", "/etc/localtime", "Europe//Athens",
                           "", "Europe/Athens "}) {
    try {
      TimeZone::named(name);
      ADD_FAILURE() << "accepted " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + name + "\""), std::string::npos) << e.what();
    }
  }
}

TEST(TimeZone, TzdirChoosesTheDatabaseAndASlimFileFollowsItsFooter) {
  // Past 1996 every instant of the slim file comes from its footer's rule.
  testing::TempDir dir;
  dir.write("Test_Slim_Athens", slim_athens());
  dir.write("Test_Minus3", slim_tzif({}, {{-3 * 3600, false, "-03"}}, "<-03>3"));
  const char* previous = std::getenv("TZDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TZDIR", dir.path().c_str(), 1);
  const auto slim = TimeZone::named("Test_Slim_Athens");
  const auto minus3 = TimeZone::named("Test_Minus3");
  previous ? ::setenv("TZDIR", saved.c_str(), 1) : ::unsetenv("TZDIR");
  EXPECT_EQ(minus3.to_utc(local(2025, 1, 1, 0, 0)), local(2025, 1, 1, 3, 0));
  EXPECT_EQ(minus3.offset_at(0), -3 * 3600);
  EXPECT_EQ(slim.to_utc(local(2025, 1, 15, 12, 0)), 1'736'935'200);
  EXPECT_EQ(slim.to_utc(local(2025, 7, 1, 12, 0)), 1'751'360'400);
  EXPECT_EQ(slim.to_utc(local(2025, 3, 30, 3, 30)), 1'743'298'200);   // in the gap: moved forward
  EXPECT_EQ(slim.to_utc(local(2025, 10, 26, 3, 30)), 1'761'438'600);  // twice: the earlier
  EXPECT_EQ(slim.to_utc(local(2050, 7, 1, 12, 0)), 2'540'278'800);
}

TEST(TimeZone, AFileThatIsNotTzifIsAnInputErrorNamingTheZone) {
  testing::TempDir dir;
  dir.write("Broken_Zone", "NotTZif at all, no");
  dir.write("Cut_Zone", slim_athens().substr(0, 60));
  const char* previous = std::getenv("TZDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TZDIR", dir.path().c_str(), 1);
  for (const char* name : {"Broken_Zone", "Cut_Zone"}) {
    try {
      TimeZone::named(name);
      ADD_FAILURE() << "accepted " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + name + "\""), std::string::npos) << e.what();
    }
  }
  previous ? ::setenv("TZDIR", saved.c_str(), 1) : ::unsetenv("TZDIR");
}

}  // namespace
}  // namespace ratingstream::rating
