# Builds the Rust crate cql-bridge (the only Rust in the project) with cargo and exposes it as the
# imported static library `cql_bridge::cql_bridge`. The cargo target directory lives in a CMake
# build tree, so the source tree stays clean; `--locked` keeps the build reproducible and off the
# network once `scripts/setup` has fetched the crates.
find_program(CARGO_EXECUTABLE cargo HINTS "$ENV{HOME}/.cargo/bin" REQUIRED)

set(CQL_BRIDGE_DIR "${CMAKE_SOURCE_DIR}/cql-bridge")
# Another build tree's cargo folder may be named (the asan preset shares the release one: the Rust
# code is not instrumented either way, so the same library serves both and is built once).
set(RS_CARGO_TARGET_DIR "${CMAKE_BINARY_DIR}/cargo" CACHE PATH "cargo target directory for the Cassandra bridge")
set(CQL_BRIDGE_TARGET_DIR "${RS_CARGO_TARGET_DIR}")
if(RS_CARGO_PROFILE STREQUAL "dev")
  set(CQL_BRIDGE_PROFILE_DIR "debug")
else()
  set(CQL_BRIDGE_PROFILE_DIR "${RS_CARGO_PROFILE}")
endif()
set(CQL_BRIDGE_LIB "${CQL_BRIDGE_TARGET_DIR}/${CQL_BRIDGE_PROFILE_DIR}/libcql_bridge.a")

file(GLOB_RECURSE CQL_BRIDGE_SOURCES CONFIGURE_DEPENDS "${CQL_BRIDGE_DIR}/src/*.rs")
add_custom_command(
  OUTPUT "${CQL_BRIDGE_LIB}"
  COMMAND "${CARGO_EXECUTABLE}" build --locked --profile ${RS_CARGO_PROFILE}
          --manifest-path "${CQL_BRIDGE_DIR}/Cargo.toml" --target-dir "${CQL_BRIDGE_TARGET_DIR}"
  DEPENDS ${CQL_BRIDGE_SOURCES} "${CQL_BRIDGE_DIR}/build.rs" "${CQL_BRIDGE_DIR}/Cargo.toml" "${CQL_BRIDGE_DIR}/Cargo.lock"
  WORKING_DIRECTORY "${CQL_BRIDGE_DIR}"
  USES_TERMINAL
  COMMENT "cargo build cql-bridge (${RS_CARGO_PROFILE})")
add_custom_target(cql_bridge_build DEPENDS "${CQL_BRIDGE_LIB}")

# The driver's TLS (the openssl crate) links the system OpenSSL (Debian libssl-dev).
find_package(OpenSSL REQUIRED)

add_library(cql_bridge::cql_bridge STATIC IMPORTED GLOBAL)
set_target_properties(cql_bridge::cql_bridge PROPERTIES
  IMPORTED_LOCATION "${CQL_BRIDGE_LIB}"
  INTERFACE_INCLUDE_DIRECTORIES "${CQL_BRIDGE_DIR}/include"
  INTERFACE_LINK_LIBRARIES "OpenSSL::SSL;OpenSSL::Crypto;Threads::Threads;${CMAKE_DL_LIBS};m")
add_dependencies(cql_bridge::cql_bridge cql_bridge_build)
