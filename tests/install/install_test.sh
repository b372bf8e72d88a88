#!/usr/bin/env bash
# Installs the build in $1 into a scratch prefix, moves that prefix, and builds and unpacks the
# Debian package into a scratch root; runs `--version`, `schema --print` and `process --help`
# from each, and checks that the defaults of --catalog and --movies name the installed samples
# and that every dependency of the package is a Debian package apt can resolve.
set -euo pipefail
build=${1:?usage: install_test.sh <build folder>}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

# Runs the binary of an install rooted at $1 (whose samples live in $2) and checks its output.
check_install() {
  local binary=$1 samples=$2 out
  out=$("$binary" --version) || fail "$binary --version exited $?"
  [[ $out == "ratingstream "* && $out == *$'\nlibrdkafka '* && $out == *"Cassandra driver: scylla "* ]] \
    || fail "$binary --version printed: $out"
  out=$("$binary" schema --print) || fail "$binary schema --print exited $?"
  [[ $out == *"CREATE TABLE IF NOT EXISTS"* ]] || fail "schema --print printed: $out"
  out=$("$binary" process --help) || fail "$binary process --help exited $?"
  [[ $out == *"$samples/catalogue.csv"* ]] || fail "--catalog's default is not $samples/catalogue.csv: $out"
  out=$("$binary" produce --help) || fail "$binary produce --help exited $?"
  [[ $out == *"$samples/movies.csv"* ]] || fail "--movies's default is not $samples/movies.csv: $out"
  [[ -s $samples/catalogue.csv && -s $samples/movies.csv ]] || fail "samples missing under $samples"
  echo "ok: $binary (samples in $samples)"
}

# 1. cmake --install into a prefix, then the prefix moved elsewhere: the samples follow.
cmake --install "$build" --prefix "$scratch/prefix" --strip >/dev/null
check_install "$scratch/prefix/bin/ratingstream" "$scratch/prefix/share/ratingstream/sample"
mv "$scratch/prefix" "$scratch/moved"
check_install "$scratch/moved/bin/ratingstream" "$scratch/moved/share/ratingstream/sample"

# 2. The Debian package: unpacked into a scratch root, and its dependencies resolved by apt.
(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/package" >/dev/null)
deb=$(find "$scratch/package" -maxdepth 1 -name 'ratingstream_*.deb' -print -quit)
[ -n "$deb" ] || fail "cpack made no ratingstream_*.deb"
depends=$(dpkg-deb -f "$deb" Depends)
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB; Depends: $depends"
# dpkg-shlibdeps ran (libssl3 is linked); librdkafka is linked in, so Debian's older one stays out.
[[ $depends == *libssl3* ]] || fail "Depends does not name libssl3: $depends"
[[ $depends != *librdkafka* ]] || fail "Depends names Debian's librdkafka, which the binary must not use: $depends"
dpkg-deb -x "$deb" "$scratch/root"
[ "$(dpkg-deb -f "$deb" Package)" = ratingstream ] || fail "package name"
check_install "$scratch/root/usr/bin/ratingstream" "$scratch/root/usr/share/ratingstream/sample"
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  # A simulation: nothing is installed; every Depends must come from the configured Debian archive
  # (or be installed already).
  apt-get install -s --no-install-recommends "$deb" >"$scratch/apt.out" 2>&1 \
    || { cat "$scratch/apt.out" >&2; fail "apt cannot resolve the package's dependencies"; }
  grep -q '^Inst ratingstream ' "$scratch/apt.out" || { cat "$scratch/apt.out" >&2; fail "apt would not install it"; }
  echo "ok: apt-get install -s resolves every dependency"
fi
echo "passed"
