// The folder of the original data files, as the data tests and the benchmarks both find it
// (tests/support/original_data.hpp).

#include "original_data.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ratingstream::testing {
namespace {

// Sets the variable for one test and puts back what was there.
class SharedDataVariable {
 public:
  explicit SharedDataVariable(const char* value) {
    if (const char* before = std::getenv(kSharedDataVariable)) before_ = before;
    if (value == nullptr) {
      ::unsetenv(kSharedDataVariable);
    } else {
      ::setenv(kSharedDataVariable, value, 1);
    }
  }
  ~SharedDataVariable() {
    if (before_) {
      ::setenv(kSharedDataVariable, before_->c_str(), 1);
    } else {
      ::unsetenv(kSharedDataVariable);
    }
  }
  SharedDataVariable(const SharedDataVariable&) = delete;
  SharedDataVariable& operator=(const SharedDataVariable&) = delete;

 private:
  std::optional<std::string> before_;
};

TEST(OriginalDataFolder, UnsetOrEmptyMeansTheSharedFolderBesideTheRepository) {
  {
    SharedDataVariable unset(nullptr);
    EXPECT_EQ(original_data_folder("/src/ratingstream"), "/src/ratingstream/../shared/data");
  }
  SharedDataVariable empty("");
  EXPECT_EQ(original_data_folder("/src/ratingstream"), "/src/ratingstream/../shared/data");
}

TEST(OriginalDataFolder, ARelativeValueIsTakenFromTheRepositoryRootAnAbsoluteOneAsGiven) {
  {
    SharedDataVariable relative("data/originals");
    EXPECT_EQ(original_data_folder("/src/ratingstream"), "/src/ratingstream/data/originals");
  }
  SharedDataVariable absolute("/srv/netflix");
  EXPECT_EQ(original_data_folder("/src/ratingstream"), "/srv/netflix");
}

}  // namespace
}  // namespace ratingstream::testing
