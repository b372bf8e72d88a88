#include "store/schema.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

using namespace ratingstream::store;

TEST(Schema, QuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(quote_identifier("movie_ratings"), "movie_ratings");
  EXPECT_EQ(quote_identifier("timestamp"), "timestamp");  // a type name, not reserved
  EXPECT_EQ(quote_identifier("MyKs"), "\"MyKs\"");
  EXPECT_EQ(quote_identifier("table"), "\"table\"");
  EXPECT_EQ(quote_identifier("1st"), "\"1st\"");
  EXPECT_EQ(quote_identifier("we\"ird"), "\"we\"\"ird\"");
}

TEST(Schema, QualifiedNameQuotesForCqlAndNotForMessages) {
  EXPECT_EQ(qualified_name({"netflix", "movie_ratings"}, NameQuoting::for_cql), "netflix.movie_ratings");
  EXPECT_EQ(qualified_name({"MyKs", "table"}, NameQuoting::for_cql), "\"MyKs\".\"table\"");
  EXPECT_EQ(qualified_name({"netflix", "Ratings"}, NameQuoting::for_cql), "netflix.\"Ratings\"");
  EXPECT_EQ(qualified_name({"MyKs", "table"}, NameQuoting::as_given), "MyKs.table");
  EXPECT_EQ(qualified_name({"", ""}, NameQuoting::as_given), ".");
  EXPECT_EQ(qualified_name({"", ""}, NameQuoting::for_cql), "\"\".\"\"");
}

TEST(Schema, TableCqlIsTheSpecTable) {
  EXPECT_EQ(create_table_cql({"netflix", "movie_ratings"}),
            "CREATE TABLE IF NOT EXISTS netflix.movie_ratings (\n"
            "  name text,\n  timestamp timestamp,\n  id uuid,\n  country text,\n  director text,\n"
            "  duration int,\n  movie text,\n  rating text,\n  rating_movie int,\n  release_year int,\n"
            "  show_id text,\n  PRIMARY KEY (name, timestamp, id)\n"
            ") WITH CLUSTERING ORDER BY (timestamp DESC, id ASC);");
}

TEST(Schema, ABucketedTablePartitionsByNameAndBucketAndSaysItsSizeInItsComment) {
  EXPECT_EQ(create_table_cql({"netflix", "movie_ratings"}, TableLayout{BucketSize::week}),
            "CREATE TABLE IF NOT EXISTS netflix.movie_ratings (\n"
            "  name text,\n  bucket timestamp,\n  timestamp timestamp,\n  id uuid,\n  country text,\n"
            "  director text,\n  duration int,\n  movie text,\n  rating text,\n  rating_movie int,\n"
            "  release_year int,\n  show_id text,\n  PRIMARY KEY ((name, bucket), timestamp, id)\n"
            ") WITH CLUSTERING ORDER BY (timestamp DESC, id ASC)\n"
            "  AND comment = 'ratingstream: bucket=week';");
}

TEST(Schema, ARetentionSetsTheTimeToLiveAndTimeWindowsMatchedToTheBucket) {
  const auto cql = create_table_cql({"ks", "t"}, TableLayout{BucketSize::day}, std::chrono::seconds{400 * 86'400});
  EXPECT_NE(
      cql.find("  AND comment = 'ratingstream: bucket=day'\n  AND default_time_to_live = 34560000 AND compaction = "
               "{'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', "
               "'compaction_window_size': '1'};"),
      std::string::npos)
      << cql;
  const auto window = [](TableLayout layout, std::int64_t days) {
    const auto options = retention_options_cql(layout, std::chrono::seconds{days * 86'400});
    const auto unit = options.find("'compaction_window_unit'");
    return options.substr(unit);
  };
  EXPECT_EQ(window(TableLayout{BucketSize::hour}, 30),
            "'compaction_window_unit': 'HOURS', 'compaction_window_size': '1'}");
  EXPECT_EQ(window(TableLayout{BucketSize::week}, 400),
            "'compaction_window_unit': 'DAYS', 'compaction_window_size': '7'}");
  EXPECT_EQ(window(TableLayout{BucketSize::month}, 400),
            "'compaction_window_unit': 'DAYS', 'compaction_window_size': '30'}");
  EXPECT_EQ(window(TableLayout{}, 400), "'compaction_window_unit': 'DAYS', 'compaction_window_size': '13'}");
  EXPECT_EQ(window(TableLayout{}, 10), "'compaction_window_unit': 'DAYS', 'compaction_window_size': '1'}");
  EXPECT_THROW(retention_options_cql({}, std::chrono::seconds{0}), ratingstream::InputError);
  EXPECT_THROW(retention_options_cql({}, std::chrono::seconds{630'720'001}), ratingstream::InputError);
  EXPECT_EQ(alter_retention_cql({"ks", "t"}, {}, std::chrono::seconds{86'400}).substr(0, 32),
            "ALTER TABLE ks.t WITH default_ti");
}

TEST(Schema, TheCommentOfABucketedTableReadsBack) {
  for (const auto size : {BucketSize::hour, BucketSize::day, BucketSize::week, BucketSize::month})
    EXPECT_EQ(bucket_of_comment(layout_comment(size)), size);
  for (const char* other : {"", "ratingstream: bucket=", "ratingstream: bucket=year", "bucket=day",
                            "ratingstream: bucket=day ", "Ratingstream: bucket=day"})
    EXPECT_FALSE(bucket_of_comment(other).has_value()) << other;
  EXPECT_EQ(TableLayout{}.describe(), "the original layout");
  EXPECT_EQ(TableLayout{BucketSize::month}.describe(), "bucketed by month");
}

TEST(Schema, AskingForAnotherLayoutThanTheTablesIsOneLineWithTheFix) {
  EXPECT_NO_THROW(check_layout_is({"ks", "t"}, TableLayout{BucketSize::day}, TableLayout{BucketSize::day}));
  try {
    check_layout_is({"ks", "t"}, TableLayout{}, TableLayout{BucketSize::day});
    ADD_FAILURE() << "accepted";
  } catch (const ratingstream::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "table ks.t exists in the original layout, not bucketed by day as asked; keep its layout (leave out "
              "layout and bucket), or choose another table");
  }
  EXPECT_THROW(check_layout_is({"ks", "t"}, TableLayout{BucketSize::hour}, TableLayout{BucketSize::day}),
               ratingstream::InputError);
}

TEST(Schema, KeyspaceCqlCarriesTheReplicationFactor) {
  EXPECT_EQ(create_keyspace_cql("netflix", {3, {}}),
            "CREATE KEYSPACE IF NOT EXISTS netflix\n"
            "  WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '3'} AND durable_writes = true;");
  EXPECT_THROW(create_keyspace_cql("netflix", {0, {}}), ratingstream::InputError);
}

TEST(Schema, KeyspaceCqlCarriesAFactorPerDatacenter) {
  const auto replication = parse_datacenter_replication("dc1:3,eu-west.2:2");
  EXPECT_EQ(replication.describe(), "dc1:3,eu-west.2:2");
  EXPECT_EQ(create_keyspace_cql("netflix", replication),
            "CREATE KEYSPACE IF NOT EXISTS netflix\n"
            "  WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3', 'eu-west.2': '2'} AND "
            "durable_writes = true;");
}

TEST(Schema, DatacenterReplicationThatIsNotOneIsAnErrorNamingTheFlag) {
  for (const char* bad : {"", "dc1", "dc1:", ":3", "dc1:0", "dc1:101", "dc1:3,", "dc1:3,dc1:2", "dc1:x", "dc'1:3",
                          "dc1:3 ", "dc1:-1", "dc1:3,,dc2:3"}) {
    try {
      parse_datacenter_replication(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ratingstream::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("replication "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("dc1:3,dc2:3"), std::string::npos) << e.what();
    }
  }
}

TEST(Schema, BadNamesAreInputErrorsNamingTheFlag) {
  for (const char* bad :
       {"", "has-dash", "has space", "x\"y", "a_name_that_is_far_too_long_for_cassandra_to_accept_it"}) {
    try {
      create_table_cql({bad, "t"});
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ratingstream::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("keyspace '"), std::string::npos);
    }
  }
  EXPECT_THROW(create_table_cql({"ks", "bad.table"}), ratingstream::InputError);
}
