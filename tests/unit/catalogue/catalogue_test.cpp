// The title index: exact matching, first row wins, lookups without allocation.

#include "catalogue/catalogue.hpp"

#include <gtest/gtest.h>

#include <string>

#define RS_DEFINE_ALLOCATION_COUNTER
#include "../allocation_counter.hpp"

namespace ratingstream::catalogue {
namespace {

Film film(std::string show_id, std::string title, std::size_t line) {
  return Film{std::move(show_id), std::move(title), "Some Director", "Greece", 2020, "TV-MA", 95, line};
}

TEST(Catalogue, FindsByExactTitle) {
  Catalogue catalogue;
  EXPECT_TRUE(catalogue.add(film("s1", "Café Mirabeau", 2)));
  EXPECT_TRUE(catalogue.add(film("s2", "Ζωή στο Λιμάνι", 3)));
  EXPECT_TRUE(catalogue.add(film("s3", "Consequences\u00a0", 4)));  // a no-break space is part of the title
  ASSERT_NE(catalogue.find("Café Mirabeau"), nullptr);
  EXPECT_EQ(catalogue.find("Café Mirabeau")->show_id, "s1");
  EXPECT_EQ(catalogue.find("Ζωή στο Λιμάνι")->show_id, "s2");
  EXPECT_EQ(catalogue.find("Consequences\u00a0")->show_id, "s3");
  EXPECT_EQ(catalogue.size(), 3u);
  // Exact means exact: no case folding, trimming or Unicode normalisation.
  EXPECT_EQ(catalogue.find("café mirabeau"), nullptr);
  EXPECT_EQ(catalogue.find("Cafe\u0301 Mirabeau"), nullptr);  // decomposed é (NFD)
  EXPECT_EQ(catalogue.find("Café Mirabeau "), nullptr);
  EXPECT_EQ(catalogue.find("Consequences"), nullptr);
  EXPECT_EQ(catalogue.find(""), nullptr);
}

TEST(Catalogue, FirstRowWinsAndDuplicatesAreRecorded) {
  Catalogue catalogue;
  EXPECT_TRUE(catalogue.add(film("s10", "Twin Harbours", 5)));
  EXPECT_TRUE(catalogue.add(film("s11", "Other", 6)));
  EXPECT_FALSE(catalogue.add(film("s12", "Twin Harbours", 9)));
  EXPECT_FALSE(catalogue.add(film("s13", "Twin Harbours", 12)));
  EXPECT_TRUE(catalogue.add(film("s14", "14-Mar", 13)));
  EXPECT_FALSE(catalogue.add(film("s15", "14-Mar", 14)));
  EXPECT_EQ(catalogue.find("Twin Harbours")->show_id, "s10");
  EXPECT_EQ(catalogue.find("14-Mar")->show_id, "s14");
  EXPECT_EQ(catalogue.size(), 3u);
  ASSERT_EQ(catalogue.duplicate_titles().size(), 2u);
  const auto& twin = catalogue.duplicate_titles()[0];
  EXPECT_EQ(twin.title, "Twin Harbours");
  EXPECT_EQ(twin.kept_line, 5u);
  EXPECT_EQ(twin.ignored_lines, (std::vector<std::size_t>{9, 12}));
  EXPECT_EQ(catalogue.duplicate_titles()[1].title, "14-Mar");
}

TEST(Catalogue, LookupTakesAStringViewAndAllocatesNothing) {
  Catalogue catalogue;
  const std::string long_title = "The Cartographer, the Thief and the Tide (a title longer than SSO)";
  catalogue.add(film("s1", long_title, 2));
  catalogue.add(film("s2", "Iron Meadow", 3));
  // A view into a bigger buffer, not NUL-terminated where the title ends.
  const std::string buffer = "{\"movie\":\"" + long_title + "\"}";
  const std::string_view title = std::string_view(buffer).substr(10, long_title.size());
  const Film* found = nullptr;
  const Film* missing = reinterpret_cast<const Film*>(1);
  const long allocations = testing::allocations_during([&] {
    found = catalogue.find(title);
    missing = catalogue.find(std::string_view(buffer).substr(10, 20));
  });
  EXPECT_EQ(allocations, 0);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->show_id, "s1");
  EXPECT_EQ(missing, nullptr);
}

}  // namespace
}  // namespace ratingstream::catalogue
