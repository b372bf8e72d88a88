//! Paged reads: pages are fetched by the driver in the background as the caller takes rows.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use futures::StreamExt;
use scylla::client::pager::TypedRowStream;
use scylla::statement::Statement;
use scylla::value::Row;

use crate::error::BridgeError;
use crate::session::{prepared_arg, shared_arg, PreparedHandle, SessionHandle, Shared};
use crate::value::{type_name, Cell, CqlbValue};
use crate::{guard, guard_value, null_arg, slice_arg, str_arg};

/// `cqlb_pager`: used by one thread at a time.
pub struct PagerHandle {
    // Field order matters: the stream is dropped before the session and runtime it runs on.
    rows: TypedRowStream<Row>,
    names: Vec<CString>,
    types: Vec<CString>,
    /// The current row, owning its text ...
    cells: Vec<Cell>,
    /// ... and its C view, borrowing from `cells`; rebuilt on every row.
    view: Vec<CqlbValue>,
    state: PagerState,
    shared: Arc<Shared>,
}

/// Where a pager is: reading, past its last row, or failed. A failed read stays failed: every
/// later call reports the failure again, never an end of rows that would pass for the whole
/// result.
#[derive(Default)]
struct PagerState {
    finished: bool,
    failed: Option<BridgeError>,
}

impl PagerState {
    /// Takes the next item from `fetch` unless the read has ended or failed.
    fn next<T>(
        &mut self,
        fetch: impl FnOnce() -> Option<Result<T, BridgeError>>,
    ) -> Result<Option<T>, BridgeError> {
        if let Some(failed) = &self.failed {
            return Err(failed.again());
        }
        if self.finished {
            return Ok(None);
        }
        match fetch() {
            None => {
                self.finished = true;
                Ok(None)
            }
            Some(Err(e)) => {
                self.failed = Some(e.clone());
                Err(e)
            }
            Some(Ok(item)) => Ok(Some(item)),
        }
    }
}

fn c_string(s: String) -> CString {
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

impl PagerHandle {
    fn new(shared: Arc<Shared>, rows: TypedRowStream<Row>) -> Box<Self> {
        let specs = rows.column_specs();
        let names = specs
            .iter()
            .map(|c| c_string(c.name().to_owned()))
            .collect();
        let types = specs.iter().map(|c| c_string(type_name(c.typ()))).collect();
        Box::new(PagerHandle {
            rows,
            names,
            types,
            cells: Vec::new(),
            view: Vec::new(),
            state: PagerState::default(),
            shared,
        })
    }

    /// Advances to the next row; false after the last one.
    fn advance(&mut self) -> Result<bool, BridgeError> {
        self.view.clear();
        self.cells.clear();
        let (shared, rows, width) = (&self.shared, &mut self.rows, self.names.len());
        let next = self.state.next(|| {
            Some(match shared.block_on(rows.next())? {
                Err(e) => Err(BridgeError::from(e)),
                Ok(row) if row.columns.len() != width => Err(BridgeError::internal(format!(
                    "cqlb_pager_next: a row has {} columns where the result has {width}",
                    row.columns.len()
                ))),
                Ok(row) => Ok(row),
            })
        })?;
        let Some(row) = next else {
            return Ok(false);
        };
        self.cells
            .extend(row.columns.into_iter().map(Cell::from_cql));
        self.view.extend(self.cells.iter().map(Cell::to_c));
        Ok(true)
    }
}

fn page_size_arg(function: &str, page_size: i32) -> Result<i32, BridgeError> {
    if page_size <= 0 {
        return Err(BridgeError::invalid(format!(
            "{function}: page_size must be positive, got {page_size}"
        )));
    }
    Ok(page_size)
}

fn write_out(function: &str, out: *mut *mut PagerHandle) -> Result<(), BridgeError> {
    if out.is_null() {
        return Err(null_arg(function, "out"));
    }
    // SAFETY: non-null and writable by the callers' contract.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Starts a paged read of an unprepared statement; `*out` owns the pager (`cqlb_pager_free`).
///
/// # Safety
/// `session` is NULL or live; `cql` points to `cql_len` bytes; `values` to `value_count` values
/// whose text stays valid for the call; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_query(
    session: *const SessionHandle,
    cql: *const c_char,
    cql_len: usize,
    values: *const CqlbValue,
    value_count: usize,
    page_size: i32,
    out: *mut *mut PagerHandle,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_query";
    guard(F, || {
        write_out(F, out)?;
        // SAFETY: the arguments follow the contract above.
        let (shared, cql, values) = unsafe {
            (
                shared_arg(F, session)?,
                str_arg(F, "cql", cql, cql_len)?,
                slice_arg(F, "values", values, value_count)?,
            )
        };
        let mut statement = Statement::new(cql.to_owned());
        statement.set_page_size(page_size_arg(F, page_size)?);
        // A paged read, by this call's contract: safe for the driver to retry on another node.
        statement.set_is_idempotent(true);
        // The pager serializes `values` before it returns (its background task is 'static), so
        // nothing borrowed from C outlives this call.
        let pager = shared.block_on(shared.session().query_iter(statement, values))?;
        let rows = pager
            .rows_stream::<Row>()
            .map_err(|e| BridgeError::internal(format!("{F}: {e}")))?;
        // SAFETY: `out` was checked by `write_out`.
        unsafe { out.write(Box::into_raw(PagerHandle::new(shared, rows))) };
        Ok(())
    })
}

/// Starts a paged read of a prepared statement; `*out` owns the pager (`cqlb_pager_free`).
///
/// # Safety
/// As `cqlb_session_query`; `prepared` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_query_prepared(
    session: *const SessionHandle,
    prepared: *const PreparedHandle,
    values: *const CqlbValue,
    value_count: usize,
    page_size: i32,
    out: *mut *mut PagerHandle,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_query_prepared";
    guard(F, || {
        write_out(F, out)?;
        // SAFETY: the arguments follow the contract above.
        let (shared, prepared, values) = unsafe {
            (
                shared_arg(F, session)?,
                prepared_arg(F, prepared)?,
                slice_arg(F, "values", values, value_count)?,
            )
        };
        let mut statement = prepared.statement.clone();
        statement.set_page_size(page_size_arg(F, page_size)?);
        // As in `cqlb_session_query`, the values are serialized before this returns.
        let pager = shared.block_on(shared.session().execute_iter(statement, values))?;
        let rows = pager
            .rows_stream::<Row>()
            .map_err(|e| BridgeError::internal(format!("{F}: {e}")))?;
        // SAFETY: `out` was checked by `write_out`.
        unsafe { out.write(Box::into_raw(PagerHandle::new(shared, rows))) };
        Ok(())
    })
}

/// The number of columns of the result; 0 for NULL.
///
/// # Safety
/// `pager` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_pager_column_count(pager: *const PagerHandle) -> usize {
    // SAFETY: NULL or live by the contract.
    guard_value(0, || unsafe { pager.as_ref() }.map_or(0, |p| p.names.len()))
}

fn column_str(
    pager: *const PagerHandle,
    column: usize,
    pick: fn(&PagerHandle) -> &[CString],
) -> *const c_char {
    let empty: *const c_char = c"".as_ptr();
    guard_value(empty, || {
        // SAFETY: NULL or live by the callers' contract.
        unsafe { pager.as_ref() }
            .and_then(|p| pick(p).get(column))
            .map_or(empty, |s| s.as_ptr())
    })
}

/// The name of column `column`, NUL-terminated, valid while the pager lives; "" when out of range.
///
/// # Safety
/// `pager` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_pager_column_name(
    pager: *const PagerHandle,
    column: usize,
) -> *const c_char {
    column_str(pager, column, |p| &p.names)
}

/// The CQL type name of column `column` (`text`, `int`, `map<text, int>`, ...), NUL-terminated,
/// valid while the pager lives; "" when out of range.
///
/// # Safety
/// `pager` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_pager_column_type(
    pager: *const PagerHandle,
    column: usize,
) -> *const c_char {
    column_str(pager, column, |p| &p.types)
}

/// Takes the next row, fetching the next page when needed. On success `*row` points to
/// `cqlb_pager_column_count` values valid until the next call or `cqlb_pager_free`, or is NULL
/// after the last row.
///
/// # Safety
/// `pager` is NULL or live and not used by another thread; `row` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_pager_next(
    pager: *mut PagerHandle,
    row: *mut *const CqlbValue,
) -> *mut BridgeError {
    const F: &str = "cqlb_pager_next";
    guard(F, || {
        if row.is_null() {
            return Err(null_arg(F, "row"));
        }
        // SAFETY: non-null and writable by the contract.
        unsafe { row.write(std::ptr::null()) };
        // SAFETY: NULL or live and exclusively ours for the call by the contract.
        let pager = unsafe { pager.as_mut() }.ok_or_else(|| null_arg(F, "pager"))?;
        if pager.advance()? {
            // SAFETY: as above; the view lives in the pager until the next call.
            unsafe { row.write(pager.view.as_ptr()) };
        }
        Ok(())
    })
}

/// Frees a pager; NULL is a no-op.
///
/// # Safety
/// `pager` is NULL or from `cqlb_session_query*`, not yet freed, not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn cqlb_pager_free(pager: *mut PagerHandle) {
    if !pager.is_null() {
        // SAFETY: came from Box::into_raw in `cqlb_session_query*`; freed once by the contract.
        let pager = guard_value(None, || Some(unsafe { Box::from_raw(pager) }));
        if let Some(pager) = pager {
            // Dropping the stream aborts its background page fetcher: do it inside the runtime
            // context. The session (and runtime) go last, if this pager held the final reference.
            let shared = pager.shared.clone();
            guard_value((), || {
                let _context = shared.enter();
                drop(pager);
            });
            guard_value((), || drop(shared));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_failed_read_keeps_failing_and_never_ends_as_if_complete() {
        let mut state = PagerState::default();
        assert_eq!(state.next(|| Some(Ok(1))).unwrap(), Some(1));
        let e = state
            .next::<i32>(|| {
                Some(Err(BridgeError::new(
                    ErrorKind::ClientTimeout,
                    0,
                    "page 2 timed out",
                )))
            })
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::ClientTimeout);
        for _ in 0..2 {
            let again = state
                .next(|| -> Option<Result<i32, BridgeError>> { panic!("no fetch after a failure") })
                .unwrap_err();
            assert_eq!(again.kind, ErrorKind::ClientTimeout);
            assert!(
                again.message().contains("page 2 timed out"),
                "{}",
                again.message()
            );
            assert!(
                again.message().starts_with("the read failed earlier"),
                "{}",
                again.message()
            );
        }
        let mut done = PagerState::default();
        assert_eq!(done.next::<i32>(|| None).unwrap(), None);
        assert_eq!(
            done.next(|| -> Option<Result<i32, BridgeError>> { panic!("no fetch after the end") })
                .unwrap(),
            None
        );
    }
}
