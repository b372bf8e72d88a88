#include "dashboard/data_handlers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/errors.hpp"
#include "common/json.hpp"
#include "common/setting.hpp"
#include "query/cell.hpp"
#include "query/person_name.hpp"
#include "query/time_window.hpp"

namespace ratingstream::dashboard {
namespace {

// A request that names nobody in the table: 404, told apart from an empty window (200, 0 rows).
class UnknownPerson : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::optional<std::string> param(const Params& params, const std::string& key) {
  const auto it = params.find(key);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

struct Question {
  std::string name;
  query::TimeWindow window;
  rating::TimeZone zone = rating::TimeZone::utc();
};

Question read_question(const Params& params, std::chrono::hours max_window) {
  Question q;
  const auto name = param(params, "name");
  if (!name) throw InputError("name is missing: give the name of the person who rated, e.g. ?name=Stelios%20Giagkos");
  try {
    query::check_person_name(*name);
  } catch (const InputError& e) {
    throw InputError(std::string("name ") + e.what());
  }
  q.name = *name;
  if (const auto tz = param(params, "tz")) {
    try {
      q.zone = rating::TimeZone::named(*tz);
    } catch (const InputError& e) {
      throw InputError(std::string("tz: ") + e.what());
    }
  }
  query::WindowFlags flags;
  flags.from = param(params, "from");
  flags.to = param(params, "to");
  flags.hour = param(params, "hour");
  {
    // The window's settings are this request's parameters, spelled by their names: ?from=, ?hour=.
    const ScopedSettingSpelling parameters(setting_name_spelling);
    q.window = query::resolve_window(flags, q.zone);
  }
  const auto longest = std::chrono::duration_cast<std::chrono::milliseconds>(max_window).count();
  if (q.window.to.millis - q.window.from.millis > longest) {
    throw InputError(fmt::format("the window is longer than {} days: ask for a shorter one", max_window.count() / 24));
  }
  return q;
}

std::string question_key(const char* kind, const Params& params) {
  std::string key = kind;
  for (const auto& [k, v] : params) key += fmt::format("\x1f{}={}", k, v);
  return key;
}

// The question's name and window, the first keys of every answer to one.
Json question_json(const Question& q) {
  return {{"name", q.name},
          {"from", query::format_timestamp(q.window.from, q.zone)},
          {"to", query::format_timestamp(q.window.to, q.zone)}};
}

}  // namespace

DataHandlers::DataHandlers(RatingsSource& source, DataLimits limits, const Clock& clock)
    : source_(source),
      limits_(limits),
      clock_(clock),
      overview_cache_(limits.cache_ttl, 4, clock),
      question_cache_(limits.cache_ttl, 256, clock) {}

HttpAnswer DataHandlers::guarded(const std::function<HttpAnswer()>& answer) {
  try {
    return answer();
  } catch (const InputError& e) {
    return error_answer(400, e.what());
  } catch (const UnknownPerson& e) {
    return error_answer(404, e.what());
  } catch (const store::Error& e) {
    return error_answer(503, std::string("Cassandra: ") + e.what());
  } catch (const RuntimeFailure& e) {
    return error_answer(503, e.what());
  } catch (const std::exception& e) {
    return error_answer(500, e.what());
  } catch (...) {
    return error_answer(500, "unexpected failure");
  }
}

HttpAnswer DataHandlers::overview() {
  return overview_cache_.get("overview", [this] {
    return guarded([this] {
      const auto now_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall_now().time_since_epoch()).count();
      const store::Timestamp since{now_ms - static_cast<std::int64_t>(limits_.overview.minutes) * 60'000};
      auto names = source_.people(limits_.max_people + 1);
      const bool people_truncated = names.size() > limits_.max_people;
      if (people_truncated) names.resize(limits_.max_people);
      std::sort(names.begin(), names.end());
      std::vector<PersonRatings> people;
      // The counts per minute and per movie are partial when anyone's ratings were left out:
      // people past the bound, or a person with more ratings in the hour than a read takes.
      bool ratings_truncated = people_truncated;
      for (auto& name : names) {
        // One row past the bound tells "exactly the bound" (complete) from "more" (cut off).
        auto recent = source_.recent(name, since, limits_.overview.latest, limits_.max_recent + 1);
        if (recent.size() > limits_.max_recent) {
          ratings_truncated = true;
          recent.resize(limits_.max_recent);
        }
        people.push_back({std::move(name), std::move(recent)});
      }
      return json_answer(overview_json(people, now_ms, limits_.overview, people_truncated, ratings_truncated));
    });
  });
}

HttpAnswer DataHandlers::people() {
  return overview_cache_.get("people", [this] {
    return guarded([this] {
      auto names = source_.people(limits_.max_people + 1);
      const bool truncated = names.size() > limits_.max_people;
      if (truncated) names.resize(limits_.max_people);
      std::sort(names.begin(), names.end());
      return json_answer(json_text({{"people", names}, {"truncated", truncated}}) + "\n");
    });
  });
}

HttpAnswer DataHandlers::average_duration(const Params& params) {
  return question_cache_.get(question_key("q1", params), [&] {
    return guarded([&] {
      const auto q = read_question(params, limits_.max_window);
      if (!source_.has_ratings(q.name))
        throw UnknownPerson(fmt::format("unknown person \"{}\": no ratings under this name", q.name));
      const auto average = source_.average_duration(q.name, q.window);
      const auto avg = average.average();
      Json answer = question_json(q);
      answer["ratings"] = average.rows();
      answer["without_duration"] = average.without_duration();
      answer["avg_duration"] = avg ? Json(query::format_hundredths(*avg)) : Json(nullptr);
      return json_answer(json_text(answer) + "\n");
    });
  });
}

HttpAnswer DataHandlers::movies(const Params& params) {
  return question_cache_.get(question_key("q2", params), [&] {
    return guarded([&] {
      const auto q = read_question(params, limits_.max_window);
      if (!source_.has_ratings(q.name))
        throw UnknownPerson(fmt::format("unknown person \"{}\": no ratings under this name", q.name));
      bool more = false;
      const auto table = source_.movies(q.name, q.window, limits_.max_movies, more);
      Json rows = Json::array();
      for (const auto& row : table.rows) {
        Json movie = Json::object();
        for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
          movie[table.columns[i]] =
              std::holds_alternative<std::monostate>(row[i]) ? Json(nullptr) : Json(query::cell_text(row[i], q.zone));
        }
        rows.push_back(std::move(movie));
      }
      Json answer = question_json(q);
      answer["movies"] = std::move(rows);
      answer["count"] = table.rows.size();
      answer["truncated"] = more;
      return json_answer(json_text(answer) + "\n");
    });
  });
}

}  // namespace ratingstream::dashboard
