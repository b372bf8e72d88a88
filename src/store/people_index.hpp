#pragma once
// The people of a bucketed ratings table (docs/data-over-time.md, "The people index"). A bucketed
// table's partitions cannot be found by a name alone, so who has ratings, and in which bucket
// the newest are, is kept beside it:
//
//   <table>_people   name text PRIMARY KEY, latest_bucket timestamp
//
// Every write of a person's rating in a bucket writes (name, bucket) `USING TIMESTAMP` the
// bucket's start, in microseconds: of all the writes to a name, the newest bucket wins whatever
// order they arrive in, and writing the same bucket again changes nothing (replays, several
// processors, the build from existing rows all write the same cells). With a retention the entry
// lives until its bucket's last rows expire: the bucket's end plus the retention.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/schema.hpp"
#include "store/session.hpp"
#include "store/table_layout.hpp"

namespace ratingstream::store {

// The people table of `ratings`, in its keyspace. Throws InputError when the name would pass
// Cassandra's 48 characters (fits_people_index false).
TableRef people_table_of(const TableRef& ratings);
bool fits_people_index(const TableRef& ratings);

std::string create_people_table_cql(const TableRef& ratings, DerivedTableState state);
// Complete: every person with rows has an entry naming the bucket of their newest rating.
DerivedTableState read_people_index_state(Session& session, const TableRef& ratings);

// The time to live of the entry of a rating in the bucket of `size` starting at `bucket`, written
// at `now`: 0 (none) without retention, else what is left until the bucket's end plus
// `retention` (row_time_to_live of a rating at the bucket's end). nullopt when the whole bucket is
// past retention: no entry is written.
std::optional<std::int32_t> people_entry_time_to_live(BucketSize size, std::optional<std::chrono::seconds> retention,
                                                      Timestamp bucket, Timestamp now);

// The statements on a bucketed table's people index, prepared once. `session` must outlive this.
class PeopleIndex {
 public:
  PeopleIndex(Session& session, const TableRef& ratings, const TableLayout& layout,
              std::optional<std::chrono::seconds> retention);

  // The INSERT of an entry, for execute_many, and the values of `name`'s rating in the bucket
  // starting at `bucket`, appended to `values`. false, appending nothing, when the whole bucket
  // is past retention at `now`. The values refer to `name`'s characters, which must outlive them.
  const PreparedStatement& insert() const { return insert_; }
  bool bind(std::string_view name, Timestamp bucket, Timestamp now, std::vector<BoundValue>& values) const;

  // The start of the bucket of `name`'s newest rating; nullopt for a person without entry.
  std::optional<Timestamp> latest_bucket(const std::string& name);
  // At most `limit` names, in token order.
  std::vector<std::string> names(std::size_t limit);

 private:
  Session& session_;
  TableLayout layout_;
  std::optional<std::chrono::seconds> retention_;
  PreparedStatement insert_;
  PreparedStatement latest_;
  PreparedStatement names_;
};

// Gives a bucketed table its people index: creates the table when missing and, when the ratings
// table has rows already, writes every person's newest bucket from its partition keys (marked
// "being built" meanwhile, so no reader uses it half done) before marking it complete. Returns
// the people indexed by that build. Processors started before write no entries: they must be
// restarted.
std::int64_t enable_people_index(Session& session, const TableRef& ratings, const TableLayout& layout,
                                 std::optional<std::chrono::seconds> retention);

}  // namespace ratingstream::store
