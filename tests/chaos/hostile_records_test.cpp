// 10,000 hostile records (truncated JSON, wrong types, huge numbers, deep nesting, values of
// 64 KiB + 1 byte and ~900 kB, invalid UTF-8, NUL bytes, duplicate keys, empty and null values and
// keys...) mixed with valid ones, some of them odd but valid. The processor does not crash; every
// rejected record is in the dead-letter topic once, with its key, its value and the `reason` the
// decoder's contract (src/rating/decode.hpp) gives it; the counts per reason in the progress lines
// and in /metrics equal what was sent per reason; the valid records are written exactly.
//
// The expected reason of each kind is written here from the contract, not computed by the
// product's decoder. "~1 MB" values stay at 900,000 bytes: the broker takes up to 1,048,588 bytes
// per batch and the dead-letter producer (librdkafka's message.max.bytes, 1,000,000) must also
// take the value back with its headers.

#include <gtest/gtest.h>

#include "chaos_fixtures.hpp"

namespace ratingstream::chaos_test {
namespace {

constexpr int kRecords = 10'000;
constexpr int kPartitions = 3;
constexpr std::size_t kMaxValueBytes = 64 * 1024;  // the processor's limit (rating::kDefaultMaxValueBytes)

// What a record must become.
struct Outcome {
  std::string reason;  // a reject reason; "" when it is written; "unmatched" when dropped by the join
  // When written: the row's columns besides the record's position.
  std::string name = {}, movie = {};
  std::int64_t timestamp_us = 0;
  int rating = 0;
  int film = 0;
};

struct Hostile {
  Outgoing record;
  Outcome outcome;
};

// A valid message for `name` with the given raw JSON pieces.
std::string message(const std::string& name_json, const std::string& movie_json, const std::string& rating_json,
                    const std::string& timestamp_json, const std::string& extra = "") {
  return "{\"name\":" + name_json + ",\"movie\":" + movie_json + ",\"rating\":" + rating_json +
         ",\"timestamp\":" + timestamp_json + extra + "}";
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// A valid message padded with an ignored string field to exactly `size` bytes.
std::string padded_message(std::size_t size) {
  const std::string head =
      message(quoted("Padded Person"), quoted("Twin Harbours"), "4", quoted("2025-03-13T19:26:50Z"), ",\"pad\":\"");
  const std::size_t fixed = head.size() + 2;  // the closing quote and brace
  return head + std::string(size - fixed, 'p') + "\"}";
}

std::string nested(const std::string& open, const std::string& close, int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += open;
  out += "1";
  for (int i = 0; i < depth; ++i) out += close;
  return out;
}

using Kind = std::function<Hostile(int i)>;

// Every kind of record of the test, with the outcome the decoder contract gives it.
std::vector<std::pair<std::string, Kind>> kinds() {
  const std::string ts = quoted("2025-03-13T19:26:50.250000Z");
  constexpr std::int64_t ts_ms = kStartMs + 250;
  auto valid = [](std::optional<std::string> key, std::string value, std::string name, std::string movie, int film,
                  int rating, std::int64_t ms, std::int64_t extra_us = 0) {
    return Hostile{{0, std::move(key), std::move(value)},
                   {"", std::move(name), std::move(movie), ms * 1000 + extra_us, rating, film}};
  };
  auto rejected = [](std::optional<std::string> key, std::optional<std::string> value, std::string reason) {
    return Hostile{{0, std::move(key), std::move(value)}, {.reason = std::move(reason)}};
  };
  const std::string person = quoted("Hostile Person");
  const std::string film = quoted("Twin Harbours");
  const std::string full = message(person, film, "7", ts);
  std::vector<std::pair<std::string, Kind>> k;

  // ---- valid, some of them odd --------------------------------------------------------------
  k.emplace_back("valid", [=](int i) {
    const std::string name = fmt::format("Valid {}", i % 50);
    return valid(name, message(quoted(name), quoted(kJsonTitles[i % 3]), std::to_string(1 + i % 10), ts), name,
                 kTitles[i % 3], i % 3, 1 + i % 10, ts_ms);
  });
  k.emplace_back("valid_null_key",
                 [=](int) { return valid(std::nullopt, full, "Hostile Person", "Twin Harbours", 0, 7, ts_ms); });
  k.emplace_back("valid_empty_key",
                 [=](int) { return valid("", full, "Hostile Person", "Twin Harbours", 0, 7, ts_ms); });
  k.emplace_back("valid_binary_key", [=](int) {
    return valid(std::string("\xff\x00\xfe", 3), full, "Hostile Person", "Twin Harbours", 0, 7, ts_ms);
  });
  k.emplace_back("valid_escaped_nul_in_name", [=](int) {
    return valid("x", message(quoted("A\\u0000nn"), film, "3", ts), std::string("A\0nn", 4), "Twin Harbours", 0, 3,
                 ts_ms);
  });
  k.emplace_back("valid_unicode", [=](int) {
    return valid("x", message(quoted("Zo\xc3\xab \\ud83d\\ude00 \xe6\x9d\x8e"), film, "10", ts),
                 "Zo\xc3\xab \xf0\x9f\x98\x80 \xe6\x9d\x8e", "Twin Harbours", 0, 10, ts_ms);
  });
  k.emplace_back("valid_no_zone", [=](int) {
    return valid("x", message(person, film, "1", quoted("2025-03-13T19:26:50.123456")), "Hostile Person",
                 "Twin Harbours", 0, 1, kStartMs + 123, 456);
  });
  k.emplace_back("valid_offset_zone", [=](int) {
    return valid("x", message(person, film, "2", quoted("2025-03-13T21:26:50.5+02:00")), "Hostile Person",
                 "Twin Harbours", 0, 2, kStartMs + 500);
  });
  k.emplace_back("valid_fields_reordered_whitespace", [=](int) {
    return valid("x",
                 " \n{ \"timestamp\" : " + ts + " ,\t\"rating\":5 , \"movie\":" + quoted(kJsonTitles[1]) +
                     ", \"name\" : " + person + " }\r\n",
                 "Hostile Person", kTitles[1], 1, 5, ts_ms);
  });
  k.emplace_back("valid_extra_fields_nested_10", [=](int) {
    return valid("x", message(person, film, "6", ts, ",\"x\":" + nested("[", "]", 10) + ",\"o\":{\"a\":{\"b\":null}}"),
                 "Hostile Person", "Twin Harbours", 0, 6, ts_ms);
  });
  k.emplace_back("valid_duplicate_unknown_key", [=](int) {
    return valid("x", message(person, film, "8", ts, ",\"x\":1,\"x\":\"two\""), "Hostile Person", "Twin Harbours", 0, 8,
                 ts_ms);
  });
  k.emplace_back("valid_big_integer_ignored", [=](int) {
    return valid("x", message(person, film, "9", ts, ",\"n\":123456789012345678901234567890"), "Hostile Person",
                 "Twin Harbours", 0, 9, ts_ms);
  });
  k.emplace_back("valid_exactly_64KiB", [=](int) {
    return valid("x", padded_message(kMaxValueBytes), "Padded Person", "Twin Harbours", 0, 4, kStartMs);
  });
  k.emplace_back("unmatched_movie", [=](int) {
    return Hostile{{0, "x", message(person, quoted("No Such Film"), "5", ts)}, {.reason = "unmatched"}};
  });

  // ---- malformed_json -----------------------------------------------------------------------
  k.emplace_back("truncated",
                 [=](int i) { return rejected("x", full.substr(0, 1 + i % (full.size() - 1)), "malformed_json"); });
  k.emplace_back("empty_value", [=](int) { return rejected("x", std::string(), "malformed_json"); });
  k.emplace_back("null_value", [=](int) { return rejected("x", std::nullopt, "malformed_json"); });
  k.emplace_back("null_key_null_value", [=](int) { return rejected(std::nullopt, std::nullopt, "malformed_json"); });
  k.emplace_back("not_json",
                 [=](int) { return rejected("x", "Hostile Person rated Twin Harbours 7", "malformed_json"); });
  k.emplace_back("array", [=](int) { return rejected("x", "[" + full + "]", "malformed_json"); });
  k.emplace_back("scalar_number", [=](int) { return rejected("x", "42", "malformed_json"); });
  k.emplace_back("scalar_string", [=](int) { return rejected("x", quoted("hello"), "malformed_json"); });
  k.emplace_back("invalid_utf8_in_name", [=](int) {
    return rejected("x", message(quoted("Bad \xff\xfe Name"), film, "7", ts), "malformed_json");
  });
  k.emplace_back("overlong_utf8",
                 [=](int) { return rejected("x", message(quoted("\xc0\xaf"), film, "7", ts), "malformed_json"); });
  k.emplace_back("lone_surrogate_escape",
                 [=](int) { return rejected("x", message(quoted("\\ud800"), film, "7", ts), "malformed_json"); });
  k.emplace_back("raw_nul_in_name", [=](int) {
    return rejected("x", message(quoted(std::string("A\0B", 3)), film, "7", ts), "malformed_json");
  });
  k.emplace_back("nul_after_object", [=](int) { return rejected("x", full + std::string(1, '\0'), "malformed_json"); });
  k.emplace_back("trailing_garbage", [=](int) { return rejected("x", full + "x", "malformed_json"); });
  k.emplace_back("two_objects", [=](int) { return rejected("x", full + full, "malformed_json"); });
  k.emplace_back("duplicate_name",
                 [=](int) { return rejected("x", "{\"name\":\"A\"," + full.substr(1), "malformed_json"); });
  k.emplace_back("duplicate_rating",
                 [=](int) { return rejected("x", message(person, film, "7", ts, ",\"rating\":7"), "malformed_json"); });
  k.emplace_back("nested_100", [=](int) {
    return rejected("x", message(person, film, "7", ts, ",\"x\":" + nested("[", "]", 100)), "malformed_json");
  });
  k.emplace_back("nested_objects_5000", [=](int) {
    return rejected("x", message(person, film, "7", ts, ",\"x\":" + nested("{\"a\":", "}", 5000)), "malformed_json");
  });
  k.emplace_back("unclosed_nesting", [=](int) { return rejected("x", std::string(20'000, '['), "malformed_json"); });
  k.emplace_back("bad_escape",
                 [=](int) { return rejected("x", message(quoted("A\\qB"), film, "7", ts), "malformed_json"); });
  k.emplace_back("bad_number", [=](int) { return rejected("x", message(person, film, "07", ts), "malformed_json"); });

  // ---- missing_field ------------------------------------------------------------------------
  k.emplace_back("empty_object", [=](int) { return rejected("x", "{}", "missing_field"); });
  k.emplace_back("no_timestamp", [=](int) {
    return rejected("x", "{\"name\":" + person + ",\"movie\":" + film + ",\"rating\":7}", "missing_field");
  });
  k.emplace_back("null_movie", [=](int) { return rejected("x", message(person, "null", "7", ts), "missing_field"); });
  k.emplace_back("null_rating", [=](int) { return rejected("x", message(person, film, "null", ts), "missing_field"); });
  k.emplace_back("empty_name", [=](int) { return rejected("x", message(quoted(""), film, "7", ts), "missing_field"); });

  // ---- bad_type -----------------------------------------------------------------------------
  k.emplace_back("name_number", [=](int) { return rejected("x", message("12", film, "7", ts), "bad_type"); });
  k.emplace_back("movie_array",
                 [=](int) { return rejected("x", message(person, "[" + film + "]", "7", ts), "bad_type"); });
  k.emplace_back("rating_string",
                 [=](int) { return rejected("x", message(person, film, quoted("7"), ts), "bad_type"); });
  k.emplace_back("rating_float", [=](int) { return rejected("x", message(person, film, "7.0", ts), "bad_type"); });
  k.emplace_back("rating_exponent", [=](int) { return rejected("x", message(person, film, "7e0", ts), "bad_type"); });
  k.emplace_back("rating_bool", [=](int) { return rejected("x", message(person, film, "true", ts), "bad_type"); });
  k.emplace_back("timestamp_object",
                 [=](int) { return rejected("x", message(person, film, "7", "{\"at\":" + ts + "}"), "bad_type"); });
  k.emplace_back("timestamp_number",
                 [=](int) { return rejected("x", message(person, film, "7", "1741894010"), "bad_type"); });

  // ---- rating_out_of_range ------------------------------------------------------------------
  k.emplace_back("rating_zero",
                 [=](int) { return rejected("x", message(person, film, "0", ts), "rating_out_of_range"); });
  k.emplace_back("rating_eleven",
                 [=](int) { return rejected("x", message(person, film, "11", ts), "rating_out_of_range"); });
  k.emplace_back("rating_negative",
                 [=](int) { return rejected("x", message(person, film, "-3", ts), "rating_out_of_range"); });
  k.emplace_back("rating_int64_min", [=](int) {
    return rejected("x", message(person, film, "-9223372036854775808", ts), "rating_out_of_range");
  });
  k.emplace_back("rating_beyond_64_bits", [=](int) {
    return rejected("x", message(person, film, "99999999999999999999999999", ts), "rating_out_of_range");
  });

  // ---- bad_timestamp ------------------------------------------------------------------------
  k.emplace_back("timestamp_feb_30", [=](int) {
    return rejected("x", message(person, film, "7", quoted("2025-02-30T10:00:00Z")), "bad_timestamp");
  });
  k.emplace_back("timestamp_hour_25", [=](int) {
    return rejected("x", message(person, film, "7", quoted("2025-03-13T25:00:00Z")), "bad_timestamp");
  });
  k.emplace_back("timestamp_words",
                 [=](int) { return rejected("x", message(person, film, "7", quoted("yesterday")), "bad_timestamp"); });
  k.emplace_back("timestamp_empty",
                 [=](int) { return rejected("x", message(person, film, "7", quoted("")), "bad_timestamp"); });

  // ---- too_large ----------------------------------------------------------------------------
  k.emplace_back("64KiB_plus_one", [=](int) { return rejected("x", padded_message(kMaxValueBytes + 1), "too_large"); });
  return k;
}

// ~900 kB values: a few, so the topic stays small.
constexpr int kHugeValues = 8;
constexpr std::size_t kHugeValueBytes = 900'000;

// Sums "rejected_by_reason" over the JSON progress lines.
std::map<std::string, std::int64_t> progress_rejections(const std::string& err) {
  std::map<std::string, std::int64_t> counts;
  static const std::regex object(R"("rejected_by_reason":\{([^}]*)\})");
  static const std::regex entry(R"x("([a-z_]+)":(\d+))x");
  std::istringstream lines(err);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (!line.starts_with("{\"batch\":") || !std::regex_search(line, m, object)) continue;
    const std::string inner = m[1];
    for (auto it = std::sregex_iterator(inner.begin(), inner.end(), entry); it != std::sregex_iterator(); ++it) {
      counts[(*it)[1]] += std::stoll((*it)[2]);
    }
  }
  return counts;
}

// ratingstream_records_rejected_total by reason from a /metrics page.
std::map<std::string, std::int64_t> metric_rejections(const std::string& page) {
  std::map<std::string, std::int64_t> counts;
  static const std::regex sample(R"x(ratingstream_records_rejected_total\{reason="([a-z_]+)"\} (\d+))x");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), sample); it != std::sregex_iterator(); ++it) {
    counts[(*it)[1]] += std::stoll((*it)[2]);
  }
  return counts;
}

std::string counts_text(const std::map<std::string, std::int64_t>& counts) {
  std::string out;
  for (const auto& [reason, n] : counts) out += (out.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  return out;
}

TEST(ChaosHostileRecords, TenThousandHostileRecordsAreRejectedByReasonAndValidOnesWritten) {
  const std::string topic = testing::unique_name("chaos_hostile");
  const std::string dead_letters = topic + "_dlq";
  const std::string keyspace = testing::unique_name("chaos_hostile");
  const KeyspaceDropper dropper(keyspace);
  testing::TempDir dir;
  const auto catalogue = dir.write("catalogue.csv", kCatalogue);
  create_topic(topic, kPartitions);

  // Round-robin over the kinds, the ~900 kB ones spread among them.
  const auto all_kinds = kinds();
  std::vector<Hostile> hostile;
  std::map<std::string, int> sent_by_kind;
  for (int i = 0; i < kRecords; ++i) {
    if (i % (kRecords / kHugeValues) == kRecords / kHugeValues / 2) {
      hostile.push_back({{0, "huge", padded_message(kHugeValueBytes)}, {.reason = "too_large"}});
      ++sent_by_kind["900kB"];
      continue;
    }
    const auto& [kind, make] = all_kinds[static_cast<std::size_t>(i) % all_kinds.size()];
    hostile.push_back(make(i));
    ++sent_by_kind[kind];
  }

  std::vector<Outgoing> records;
  std::map<std::pair<std::int32_t, std::int64_t>, const Hostile*> by_position;
  std::map<store::Uuid, TableRow> expected_rows;
  std::map<std::string, std::int64_t> expected_rejections;
  std::int64_t expected_unmatched = 0;
  std::int64_t expected_written = 0;  // records: equal ratings among them are one row
  std::vector<std::int64_t> next_offset(kPartitions, 0);
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    Hostile& h = hostile[i];
    h.record.partition = static_cast<std::int32_t>(i % kPartitions);
    const std::int64_t offset = next_offset[static_cast<std::size_t>(h.record.partition)]++;
    by_position[{h.record.partition, offset}] = &h;
    records.push_back(h.record);
    const Outcome& o = h.outcome;
    if (o.reason.empty()) {
      auto row = expected_row(o.name, o.timestamp_us, o.movie, o.rating, &kFilms[o.film]);
      expected_rows.emplace(std::get<store::Uuid>(row[2]), std::move(row));
      ++expected_written;
    } else if (o.reason == "unmatched") {
      ++expected_unmatched;
    } else {
      ++expected_rejections[o.reason];
    }
  }
  produce(topic, records);
  records.clear();
  std::int64_t expected_rejected = 0;
  for (const auto& [reason, n] : expected_rejections) expected_rejected += n;

  Background processor(testing::processor_command(topic, keyspace, testing::unique_name("chaos_hostile"), catalogue,
                                                  {"--trigger", "0", "--dead-letter-topic", dead_letters, "--progress",
                                                   "json", "--metrics-address", "127.0.0.1", "--metrics-port", "0"}),
                       dir.path(), "processor");
  int port = 0;
  ASSERT_TRUE(
      testing::eventually([&] { return (port = metrics_port(processor.err())) > 0 || !processor.running(); }, 60s))
      << processor.err();
  ASSERT_GT(port, 0) << processor.err();

  // Done when every record is accounted for: in the metrics, and the rows in the table.
  auto session = cassandra();
  std::string metrics;
  auto settled = [&] {
    if (!processor.running()) return true;
    metrics = http_get(port, "/metrics").body;
    std::int64_t rejected = 0;
    for (const auto& [reason, n] : metric_rejections(metrics)) rejected += n;
    return rejected >= expected_rejected &&
           count_rows(session, keyspace) >= static_cast<std::int64_t>(expected_rows.size()) &&
           sum_progress(processor.err(), "records_in") >= kRecords;
  };
  EXPECT_TRUE(testing::eventually(settled, 300s, 200ms)) << processor.err().substr(0, 20'000);
  ASSERT_TRUE(processor.running()) << "the processor ended:\n" << processor.err().substr(0, 20'000);
  processor.signal(SIGTERM);
  EXPECT_EQ(processor.wait(60s), 0) << processor.err().substr(0, 20'000);
  const std::string err = processor.err();

  // The valid ones, exactly.
  expect_table_equals(read_rows(keyspace), expected_rows);

  // Counts per reason: the progress lines and /metrics both say what was sent.
  EXPECT_EQ(counts_text(progress_rejections(err)), counts_text(expected_rejections));
  EXPECT_EQ(counts_text(metric_rejections(metrics)), counts_text(expected_rejections));
  EXPECT_EQ(sum_progress(err, "records_in"), kRecords);
  EXPECT_EQ(sum_progress(err, "unmatched"), expected_unmatched);
  EXPECT_EQ(sum_progress(err, "written"), expected_written);

  // The dead-letter topic: each rejected record once, as it was sent, with its reason.
  const auto dlq_partitions = kafka::partition_count(*kafka_conf(), dead_letters, 10s);
  ASSERT_TRUE(dlq_partitions.has_value()) << "no dead-letter topic " << dead_letters;
  const auto letters = consume_all(dead_letters, *dlq_partitions);
  EXPECT_EQ(letters.size(), static_cast<std::size_t>(expected_rejected));
  std::set<std::pair<std::int32_t, std::int64_t>> seen;
  std::size_t reported = 0;
  for (const auto& letter : letters) {
    auto header = [&](const std::string& name) {
      const auto it = letter.headers.find(name);
      return it == letter.headers.end() ? std::string("(none)") : it->second;
    };
    EXPECT_EQ(header("source.topic"), topic);
    const std::pair<std::int32_t, std::int64_t> position{std::stoi(header("source.partition")),
                                                         std::stoll(header("source.offset"))};
    EXPECT_TRUE(seen.insert(position).second) << "dead-lettered twice: " << position.first << "/" << position.second;
    const auto it = by_position.find(position);
    ASSERT_NE(it, by_position.end()) << "a dead letter for a record never sent: " << position.first << "/"
                                     << position.second;
    const Hostile& sent = *it->second;
    if (header("reason") != sent.outcome.reason || letter.key != sent.record.key || letter.value != sent.record.value) {
      if (reported++ < 20) {
        ADD_FAILURE() << "record " << position.first << "/" << position.second << ": reason " << header("reason")
                      << " (expected " << sent.outcome.reason << "), detail " << header("detail") << ", key "
                      << (letter.key == sent.record.key ? "same" : "differs") << ", value "
                      << (letter.value == sent.record.value ? "same" : "differs") << "; sent value "
                      << (sent.record.value ? sent.record.value->substr(0, 200) : std::string("null"));
      }
    }
  }

  std::cerr << kRecords << " records of " << all_kinds.size() + 1 << " kinds: " << expected_written << " written ("
            << expected_rows.size() << " rows), " << expected_unmatched << " unmatched, " << expected_rejected
            << " rejected (" << counts_text(expected_rejections) << "); " << letters.size() << " dead letters\n";
}

}  // namespace
}  // namespace ratingstream::chaos_test
