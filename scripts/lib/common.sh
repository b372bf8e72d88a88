# Shared by the scripts: versions, where things live, and how to speak to the user.
# shellcheck shell=bash

RS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

KAFKA_VERSION=4.1.1
CASSANDRA_VERSION=5.0.9
# librdkafka, built from source by scripts/setup (Debian 12's 2.0.2 has idempotent-producer bugs
# that lose messages when a partition leader dies: docs/architecture.md, "librdkafka"). The top
# CMakeLists.txt reads this line too. The source comes from crates.io, inside rdkafka-sys.
LIBRDKAFKA_VERSION=2.12.1
# shellcheck disable=SC2034  # used by the scripts that source this file
LIBRDKAFKA_CRATE=rdkafka-sys-4.10.0+$LIBRDKAFKA_VERSION
# shellcheck disable=SC2034  # used by the scripts that source this file
LIBRDKAFKA_CRATE_SHA256=e234cf318915c1059d4921ef7f75616b5219b10b46e9f3a511a15eb4b56a3f77

# Downloads live outside the clone so a second clone (or CI's fresh one) reuses them.
RS_CACHE="${RATINGSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ratingstream}"
# shellcheck disable=SC2034  # used by the scripts that source this file
KAFKA_LIB="$RS_CACHE/kafka-$KAFKA_VERSION/lib"
# shellcheck disable=SC2034  # used by the scripts that source this file
CASSANDRA_LIB="$RS_CACHE/cassandra-$CASSANDRA_VERSION/lib"
# shellcheck disable=SC2034  # used by the scripts that source this file
LIBRDKAFKA_PREFIX="$RS_CACHE/librdkafka-$LIBRDKAFKA_VERSION"
# shellcheck disable=SC2034  # used by the scripts that source this file
CQLSH="$RS_CACHE/cqlsh-venv/bin/cqlsh"

# The folder of the original data files (the full movies file and catalogue), which are not in the
# repository; only the `data` tests and the benchmarks read them
# (docs/architecture.md, "The original data files"). $RATINGSTREAM_SHARED_DATA, ../shared/data
# when unset or empty; a relative value is taken from the repository root. Prints the folder; it
# need not exist.
rs_shared_data() {
  local folder="${RATINGSTREAM_SHARED_DATA:-../shared/data}"
  case "$folder" in
    /*) printf '%s\n' "$folder" ;;
    *) printf '%s\n' "$RS_ROOT/$folder" ;;
  esac
}

# Cassandra 5.0 runs on JDK 17 exactly (it calls System.setSecurityManager, removed later).
find_java17() {
  local candidate
  for candidate in "${RATINGSTREAM_JAVA17:-}" /usr/lib/jvm/java-17-openjdk-amd64/bin/java \
                   /usr/lib/jvm/java-17-openjdk/bin/java "$(command -v java 2>/dev/null)"; do
    [[ -n $candidate && -x $candidate ]] || continue
    if "$candidate" -version 2>&1 | head -1 | grep -q '"17\.'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

say()  { printf '%s\n' "$*"; }
warn() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die()  { local code=$1; shift; printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit "$code"; }
