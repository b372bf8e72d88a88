//! cql_bridge: a small C ABI over the scylla CQL driver (fully compatible with Apache Cassandra),
//! for ratingstream's C++ code. `include/cql_bridge.h` is the contract; this crate implements it.
//!
//! Rules every `extern "C"` function here follows:
//! - its body runs inside `catch_unwind` (see `guard`): a panic becomes an `internal` error and
//!   never unwinds into C++;
//! - pointers from C are checked for null before use; a null where a value is required is an
//!   error, not undefined behaviour;
//! - failures are returned as a heap `cqlb_error*` (NULL on success) carrying a kind, Cassandra's
//!   protocol error code and a message.

#![deny(unsafe_op_in_unsafe_fn)]

mod error;
mod log;
mod pager;
mod session;
mod value;

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use error::BridgeError;

/// Runs `body`, turning a panic into an `internal` error. Returns NULL on success or an owned
/// error for C.
pub(crate) fn guard(
    what: &str,
    body: impl FnOnce() -> Result<(), BridgeError>,
) -> *mut BridgeError {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => e.into_raw(),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            BridgeError::internal(format!("{what}: panic in the Cassandra bridge: {detail}"))
                .into_raw()
        }
    }
}

/// Like `guard` for functions that cannot report an error (frees, getters): a panic is swallowed
/// and `fallback` returned.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

pub(crate) fn null_arg(function: &str, argument: &str) -> BridgeError {
    BridgeError::internal(format!("{function}: argument `{argument}` is NULL"))
}

/// Borrows `len` bytes at `ptr` as UTF-8 text; `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// When `len > 0`, `ptr` must point to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn str_arg<'a>(
    function: &str,
    argument: &str,
    ptr: *const c_char,
    len: usize,
) -> Result<&'a str, BridgeError> {
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(null_arg(function, argument));
    }
    // SAFETY: non-null (checked) and, by this function's contract, valid for `len` bytes for 'a.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        BridgeError::invalid(format!("{function}: `{argument}` is not valid UTF-8: {e}"))
    })
}

/// Borrows a NUL-terminated C string; NULL gives `None`.
///
/// # Safety
/// A non-null `ptr` must point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn opt_cstr_arg<'a>(
    function: &str,
    argument: &str,
    ptr: *const c_char,
) -> Result<Option<&'a str>, BridgeError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null and NUL-terminated for 'a by this function's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map(Some).map_err(|e| {
        BridgeError::invalid(format!("{function}: `{argument}` is not valid UTF-8: {e}"))
    })
}

/// Borrows `len` elements at `ptr`; `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// When `len > 0`, `ptr` must point to `len` initialised, aligned elements valid for `'a`.
pub(crate) unsafe fn slice_arg<'a, T>(
    function: &str,
    argument: &str,
    ptr: *const T,
    len: usize,
) -> Result<&'a [T], BridgeError> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null_arg(function, argument));
    }
    // SAFETY: non-null (checked); length, alignment and lifetime are this function's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The bridge's version, for diagnostics: a static NUL-terminated string.
#[no_mangle]
pub extern "C" fn cqlb_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The version of the scylla driver crate linked in (from Cargo.lock, by build.rs): a static
/// NUL-terminated string.
#[no_mangle]
pub extern "C" fn cqlb_driver_version() -> *const c_char {
    concat!(env!("SCYLLA_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_panics_into_internal_errors() {
        let e = guard("cqlb_test", || panic!("boom"));
        assert!(!e.is_null());
        // SAFETY: `guard` returned a pointer from Box::into_raw, owned here.
        let e = unsafe { Box::from_raw(e) };
        assert_eq!(e.kind, error::ErrorKind::Internal);
        assert!(e.message().contains("boom"), "{}", e.message());
        assert!(guard("cqlb_test", || Ok(())).is_null());
    }

    #[test]
    fn null_arguments_are_errors() {
        // SAFETY: NULL with a non-zero length is exactly what the helper must reject.
        let r = unsafe { str_arg("f", "cql", std::ptr::null(), 3) };
        assert!(r.unwrap_err().message().contains("`cql` is NULL"));
        // SAFETY: a zero length never reads the pointer.
        let r = unsafe { slice_arg::<u8>("f", "values", std::ptr::null(), 0) };
        assert!(r.unwrap().is_empty());
    }
}
