#pragma once
// Where the sample catalogue and movies file are, for the defaults of --catalog and --movies: an
// installed binary (<prefix>/bin/ratingstream) finds them under <prefix>/share/ratingstream/sample
// (cmake/install.cmake; the folders as configured), wherever the prefix was moved; a binary in its build folder finds
// the repository's data/sample.

#include <filesystem>
#include <string>

namespace ratingstream::app {

// /proc/self/exe; empty when it cannot be read.
std::filesystem::path running_binary();

// The path of `name` (e.g. "catalogue.csv") among the samples beside `binary` (the running
// binary by default), else in the source tree the binary was built from, else the installed
// location (which then names a missing file in the error the caller gives).
std::string sample_file(const std::string& name, const std::filesystem::path& binary = running_binary());

}  // namespace ratingstream::app
