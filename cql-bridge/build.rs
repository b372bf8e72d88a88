//! Hands the version of the scylla driver this crate is built with (as Cargo.lock resolves it)
//! to the code as SCYLLA_VERSION, for `cqlb_driver_version` and `ratingstream --version`.

use std::{env, fs, path::Path};

fn main() {
    let lock = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = fs::read_to_string(&lock).unwrap_or_default();
    // [[package]] entries: `name = "scylla"` followed by its `version = "x.y.z"` line.
    let version = text
        .split("[[package]]")
        .find(|entry| entry.lines().any(|line| line.trim() == "name = \"scylla\""))
        .and_then(|entry| entry.lines().find_map(|line| line.trim().strip_prefix("version = ")))
        .map(|quoted| quoted.trim_matches('"').to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SCYLLA_VERSION={version}");
}
