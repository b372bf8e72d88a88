//! Sessions and prepared statements: connect, execute, prepare, execute one prepared statement for
//! many rows, await schema agreement.

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::future::Future;
use std::ops::Range;
use std::pin::pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use futures::{Stream, StreamExt};
use scylla::client::execution_profile::ExecutionProfile;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::errors::{DbError, RequestAttemptError};
use scylla::policies::load_balancing::DefaultPolicy;
use scylla::policies::retry::{
    DefaultRetrySession, RequestInfo, RetryDecision, RetryPolicy, RetrySession,
};
use scylla::statement::Consistency;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::prepared::PreparedStatement;
use scylla::statement::Statement;
use tokio::runtime::Runtime;

use crate::error::{BridgeError, ErrorKind};
use crate::value::CqlbValue;
use crate::{guard, guard_value, null_arg, opt_cstr_arg, slice_arg, str_arg};

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(12);
const WORKER_THREADS: usize = 2;
const SCHEMA_AGREEMENT_TIMEOUT: Duration = Duration::from_secs(120);
/// How often `cqlb_session_execute_many` looks at its cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// `cqlb_connect_options`.
#[repr(C)]
pub struct CqlbConnectOptions {
    pub contact_points: *const *const c_char,
    pub contact_point_count: usize,
    pub keyspace: *const c_char,
    pub username: *const c_char,
    pub password: *const c_char,
    pub connect_timeout_ms: u32,
    pub request_timeout_ms: u32,
    pub tls: i32,
    pub tls_ca_file: *const c_char,
    pub tls_cert_file: *const c_char,
    pub tls_key_file: *const c_char,
    pub consistency: *const c_char,
    pub local_datacenter: *const c_char,
    pub metadata_keyspace: *const c_char,
}

/// The driver's default retry policy (idempotent requests move to another node after a timeout
/// or a broken connection), except for Unavailable: the default tries the next node once, and
/// when that node is one of the dead ones its connection error is what the caller sees, hiding
/// the answer that says what is wrong (replicas needed against alive). The caller retries
/// Unavailable itself, after a pause, and reports it as such.
#[derive(Debug)]
struct ReportUnavailable;

impl RetryPolicy for ReportUnavailable {
    fn new_session(&self) -> Box<dyn RetrySession> {
        Box::new(ReportUnavailableSession(DefaultRetrySession::new()))
    }
}

struct ReportUnavailableSession(DefaultRetrySession);

impl RetrySession for ReportUnavailableSession {
    fn decide_should_retry(&mut self, request_info: RequestInfo) -> RetryDecision {
        if matches!(
            request_info.error,
            RequestAttemptError::DbError(DbError::Unavailable { .. }, _)
        ) {
            return RetryDecision::DontRetry;
        }
        self.0.decide_should_retry(request_info)
    }

    fn reset(&mut self) {
        self.0.reset()
    }
}

/// A consistency level by its CQL name, any case; `None` for anything else (the serial levels
/// are not levels of a plain read or write).
fn consistency_by_name(name: &str) -> Option<Consistency> {
    Some(match name.to_ascii_uppercase().as_str() {
        "ANY" => Consistency::Any,
        "ONE" => Consistency::One,
        "TWO" => Consistency::Two,
        "THREE" => Consistency::Three,
        "QUORUM" => Consistency::Quorum,
        "ALL" => Consistency::All,
        "LOCAL_QUORUM" => Consistency::LocalQuorum,
        "EACH_QUORUM" => Consistency::EachQuorum,
        "LOCAL_ONE" => Consistency::LocalOne,
        _ => return None,
    })
}

/// The files of a TLS connection; see `cqlb_connect_options`.
struct TlsFiles<'a> {
    ca: Option<&'a str>,
    cert: Option<&'a str>,
    key: Option<&'a str>,
}

/// An OpenSSL client context that verifies the node's certificate (the driver checks that it
/// names the node's address). Errors name the file and say what is wrong with it.
/// Why OpenSSL refused a node's certificate ("IP address mismatch", "unable to get local issuer
/// certificate", ...), recorded by the verify callback: the handshake error the driver returns
/// only says "certificate verify failed".
type VerifyFailure = Arc<std::sync::Mutex<Option<String>>>;

fn tls_context(
    files: &TlsFiles<'_>,
    failure: VerifyFailure,
) -> Result<openssl::ssl::SslContext, BridgeError> {
    use openssl::ssl::{SslContextBuilder, SslFiletype, SslMethod, SslVerifyMode};
    const F: &str = "cqlb_session_connect";
    let setup = |e: openssl::error::ErrorStack| {
        BridgeError::internal(format!("{F}: cannot set up TLS: {e}"))
    };
    let mut builder = SslContextBuilder::new(SslMethod::tls_client()).map_err(setup)?;
    builder.set_verify_callback(SslVerifyMode::PEER, move |preverified, store| {
        if !preverified {
            if let Ok(mut reason) = failure.lock() {
                reason.get_or_insert_with(|| store.error().error_string().to_owned());
            }
        }
        preverified
    });
    match files.ca {
        Some(ca) => builder.set_ca_file(ca).map_err(|e| {
            BridgeError::invalid(format!(
                "TLS CA file {ca}: cannot read PEM certificates from it ({e})"
            ))
        })?,
        None => builder.set_default_verify_paths().map_err(setup)?,
    }
    match (files.cert, files.key) {
        (None, None) => {}
        (Some(cert), Some(key)) => {
            builder
                .set_certificate_chain_file(cert)
                .map_err(|e| {
                    BridgeError::invalid(format!(
                        "TLS client certificate {cert}: cannot read a PEM certificate from it ({e})"
                    ))
                })?;
            builder
                .set_private_key_file(key, SslFiletype::PEM)
                .map_err(|e| {
                    BridgeError::invalid(format!(
                        "TLS client key {key}: cannot read a PEM private key from it ({e})"
                    ))
                })?;
            builder.check_private_key().map_err(|_| {
                BridgeError::invalid(format!(
                    "TLS client key {key} does not belong to the certificate {cert}"
                ))
            })?;
        }
        _ => {
            return Err(BridgeError::invalid(
                "a TLS client certificate needs its key, and a key its certificate: give both",
            ))
        }
    }
    Ok(builder.build())
}

/// What a session handle and its pagers share: the driver session and the runtime it runs on.
pub(crate) struct Shared {
    session: Option<Session>,
    runtime: Option<Runtime>,
    /// Bounds calls that the driver itself does not bound (PREPARE waits for every node).
    request_timeout: Duration,
}

impl Shared {
    pub(crate) fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("session is present until drop")
    }

    /// Enters the runtime's context (for dropping driver objects outside `block_on`).
    pub(crate) fn enter(&self) -> tokio::runtime::EnterGuard<'_> {
        self.runtime
            .as_ref()
            .expect("runtime is present until drop")
            .enter()
    }

    /// Runs `future` to completion on this session's runtime, blocking the calling (C) thread.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime
            .as_ref()
            .expect("runtime is present until drop")
            .block_on(future)
    }
}

/// How long closing a session waits for the driver's tasks to end by themselves.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            {
                // The driver's connections and workers are tokio tasks: drop the session inside
                // the runtime's context.
                let _context = runtime.enter();
                self.session.take();
            }
            // Dropping the session cancels the driver's tasks, but they end only when next
            // polled. Stopping the runtime before that drops them in any order: a connection's
            // task can go before the metadata worker that listens to it, which then warns that
            // its control connection vanished. Letting them end first closes the connections
            // cleanly and keeps that warning for real trouble.
            drain(&runtime, DRAIN_TIMEOUT);
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// Waits until `runtime` has no task left, or `timeout` passed.
fn drain(runtime: &Runtime, timeout: Duration) {
    let metrics = runtime.metrics();
    runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + timeout;
        while metrics.num_alive_tasks() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
}

/// `cqlb_session`: safe to use from many threads at once.
pub struct SessionHandle {
    pub(crate) shared: Arc<Shared>,
}

/// `cqlb_prepared`: immutable once made; safe to use from many threads at once.
pub struct PreparedHandle {
    pub(crate) statement: PreparedStatement,
}

fn millis_or(ms: u32, default: Duration) -> Duration {
    if ms == 0 {
        default
    } else {
        Duration::from_millis(ms.into())
    }
}

/// Reads the options; see `cqlb_session_connect`.
///
/// # Safety
/// `options` fields follow the header's contract for `cqlb_connect_options`.
unsafe fn connect(options: &CqlbConnectOptions) -> Result<Box<SessionHandle>, BridgeError> {
    const F: &str = "cqlb_session_connect";
    // SAFETY: `contact_points` holds `contact_point_count` pointers, by the header's contract.
    let raw_points = unsafe {
        slice_arg(
            F,
            "contact_points",
            options.contact_points,
            options.contact_point_count,
        )
    }?;
    if raw_points.is_empty() {
        return Err(BridgeError::invalid(format!(
            "{F}: no contact points given"
        )));
    }
    let mut points = Vec::with_capacity(raw_points.len());
    for &p in raw_points {
        // SAFETY: each entry is a NUL-terminated string valid for the call, by the contract.
        match unsafe { opt_cstr_arg(F, "contact_points[i]", p) }? {
            Some(point) if !point.is_empty() => points.push(point.to_owned()),
            _ => {
                return Err(BridgeError::invalid(format!(
                    "{F}: empty or NULL contact point"
                )))
            }
        }
    }
    // SAFETY: NULL or NUL-terminated strings valid for the call, by the contract.
    let keyspace =
        unsafe { opt_cstr_arg(F, "keyspace", options.keyspace) }?.filter(|k| !k.is_empty());
    // SAFETY: as above.
    let username =
        unsafe { opt_cstr_arg(F, "username", options.username) }?.filter(|u| !u.is_empty());
    // SAFETY: as above.
    let password = unsafe { opt_cstr_arg(F, "password", options.password) }?.unwrap_or("");

    let verify_failure = VerifyFailure::default();
    let tls = if options.tls != 0 {
        // SAFETY: NULL or NUL-terminated strings valid for the call, by the contract.
        let (ca, cert, key) = unsafe {
            (
                opt_cstr_arg(F, "tls_ca_file", options.tls_ca_file)?,
                opt_cstr_arg(F, "tls_cert_file", options.tls_cert_file)?,
                opt_cstr_arg(F, "tls_key_file", options.tls_key_file)?,
            )
        };
        let files = TlsFiles {
            ca: ca.filter(|s| !s.is_empty()),
            cert: cert.filter(|s| !s.is_empty()),
            key: key.filter(|s| !s.is_empty()),
        };
        Some(tls_context(&files, verify_failure.clone())?)
    } else {
        None
    };

    // SAFETY: NULL or NUL-terminated strings valid for the call, by the contract.
    let consistency = match unsafe { opt_cstr_arg(F, "consistency", options.consistency) }?
        .filter(|c| !c.is_empty())
    {
        None => Consistency::LocalQuorum,
        Some(name) => consistency_by_name(name).ok_or_else(|| {
            BridgeError::invalid(format!("{F}: unknown consistency level {name:?}"))
        })?,
    };
    // SAFETY: as above.
    let local_datacenter = unsafe { opt_cstr_arg(F, "local_datacenter", options.local_datacenter) }?
        .filter(|d| !d.is_empty());
    // SAFETY: as above.
    let metadata_keyspace = unsafe { opt_cstr_arg(F, "metadata_keyspace", options.metadata_keyspace) }?
        .filter(|k| !k.is_empty());

    let connect_timeout = millis_or(options.connect_timeout_ms, DEFAULT_CONNECT_TIMEOUT);
    let request_timeout = millis_or(options.request_timeout_ms, DEFAULT_REQUEST_TIMEOUT);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("cql-bridge")
        .enable_all()
        .build()
        .map_err(|e| BridgeError::internal(format!("{F}: cannot start the I/O runtime: {e}")))?;

    // Token-aware routing (the driver's default policy): a request goes to a replica of its
    // partition; with a local datacenter, only to that datacenter's nodes, so LOCAL_* levels
    // are met where the process runs.
    let mut policy = DefaultPolicy::builder().token_aware(true);
    if let Some(dc) = local_datacenter {
        policy = policy.prefer_datacenter(dc.to_owned()).permit_dc_failover(false);
    }
    let profile = ExecutionProfile::builder()
        .request_timeout(Some(request_timeout))
        .consistency(consistency)
        .load_balancing_policy(policy.build())
        .retry_policy(Arc::new(ReportUnavailable))
        .build();
    let mut builder = SessionBuilder::new()
        .known_nodes(&points)
        .connection_timeout(connect_timeout)
        // A node that restarted may take a minute or more to pull the schema it missed; DDL
        // waits that long for agreement rather than failing while the cluster converges.
        .schema_agreement_timeout(SCHEMA_AGREEMENT_TIMEOUT)
        .default_execution_profile_handle(profile.into_handle());
    // Token-aware routing needs each keyspace's replication strategy and the tables'
    // partitioners, not the columns, keys and types of every table: the bridge reads none of
    // those through the driver (the product asks system_schema itself). With a keyspace, only it
    // is fetched (statements of other keyspaces are then routed to any node). A metadata keyspace
    // that does not exist yet is fetched once it is created: the driver refreshes its metadata on
    // the schema change event.
    builder = builder.fetch_full_schema_metadata(false);
    if let Some(keyspace) = keyspace {
        builder = builder
            .use_keyspace(keyspace, false)
            .keyspaces_to_fetch([keyspace]);
    } else if let Some(keyspace) = metadata_keyspace {
        builder = builder.keyspaces_to_fetch([keyspace]);
    }
    if let Some(username) = username {
        // Whatever the driver logs passes through the log callback with this text blanked.
        crate::log::add_secret(password);
        builder = builder.user(username, password);
    }
    if let Some(context) = tls {
        builder = builder.tls_context(Some(context));
    }

    // The driver bounds each connection attempt; this bounds the whole start-up (connection plus
    // the initial metadata fetch) so a half-answering node cannot hang the caller.
    let deadline = connect_timeout + request_timeout;
    let mut connecting = crate::log::Connecting::begin();
    let session = runtime.block_on(async {
        match tokio::time::timeout(deadline, builder.build()).await {
            Ok(result) => result.map_err(BridgeError::from),
            Err(_) => Err(BridgeError::new(
                ErrorKind::Connection,
                0,
                format!("no answer within {} ms", deadline.as_millis()),
            )),
        }
    });
    connecting.succeeded = session.is_ok();
    drop(connecting);
    let session = match session {
        Ok(s) => s,
        Err(e) => {
            runtime.shutdown_timeout(Duration::from_secs(1));
            let reason = verify_failure.lock().ok().and_then(|r| r.clone());
            return Err(match reason {
                Some(reason) if e.message().contains("certificate verify failed") => BridgeError::new(
                    e.kind,
                    e.code,
                    format!("{} (certificate check: {reason})", e.message()),
                ),
                _ => e,
            });
        }
    };
    Ok(Box::new(SessionHandle {
        shared: Arc::new(Shared {
            session: Some(session),
            runtime: Some(runtime),
            request_timeout,
        }),
    }))
}

/// Connects; on success `*out` owns a new session (free with `cqlb_session_free`).
///
/// # Safety
/// `options` is NULL or points to a valid `cqlb_connect_options`; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_connect(
    options: *const CqlbConnectOptions,
    out: *mut *mut SessionHandle,
) -> *mut BridgeError {
    guard("cqlb_session_connect", || {
        if out.is_null() {
            return Err(null_arg("cqlb_session_connect", "out"));
        }
        // SAFETY: `out` is non-null and writable by the contract.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: NULL or a valid options struct by the contract; `as_ref` handles NULL.
        let options = unsafe { options.as_ref() }
            .ok_or_else(|| null_arg("cqlb_session_connect", "options"))?;
        // SAFETY: the fields follow the header's contract, which `connect` relies on.
        let handle = unsafe { connect(options) }?;
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(handle)) };
        Ok(())
    })
}

/// Closes the session; pagers still open keep the connections until they are freed.
///
/// # Safety
/// `session` is NULL or a session from `cqlb_session_connect` not yet freed, not in use by
/// another thread.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_free(session: *mut SessionHandle) {
    if !session.is_null() {
        // SAFETY: came from Box::into_raw in `cqlb_session_connect`; freed once by the contract.
        guard_value((), || drop(unsafe { Box::from_raw(session) }));
    }
}

/// Borrows a session handle from C.
///
/// # Safety
/// `session` is NULL or a live session.
unsafe fn session_arg<'a>(
    function: &str,
    session: *const SessionHandle,
) -> Result<&'a SessionHandle, BridgeError> {
    // SAFETY: NULL or live by the contract; `as_ref` handles NULL.
    unsafe { session.as_ref() }.ok_or_else(|| null_arg(function, "session"))
}

/// Borrows a prepared statement handle from C.
///
/// # Safety
/// `prepared` is NULL or a live prepared statement.
pub(crate) unsafe fn prepared_arg<'a>(
    function: &str,
    prepared: *const PreparedHandle,
) -> Result<&'a PreparedHandle, BridgeError> {
    // SAFETY: NULL or live by the contract; `as_ref` handles NULL.
    unsafe { prepared.as_ref() }.ok_or_else(|| null_arg(function, "prepared"))
}

/// Borrows the session for the other modules.
///
/// # Safety
/// `session` is NULL or a live session.
pub(crate) unsafe fn shared_arg(
    function: &str,
    session: *const SessionHandle,
) -> Result<Arc<Shared>, BridgeError> {
    // SAFETY: forwarded contract.
    Ok(unsafe { session_arg(function, session) }?.shared.clone())
}

/// Runs one unprepared statement with optional bound values and waits for it.
///
/// # Safety
/// `session` is NULL or live; `cql` points to `cql_len` bytes; `values` to `value_count` values
/// whose text stays valid for the call.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_execute(
    session: *const SessionHandle,
    cql: *const c_char,
    cql_len: usize,
    values: *const CqlbValue,
    value_count: usize,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_execute";
    guard(F, || {
        // SAFETY: the arguments follow the contract above.
        let (handle, cql, values) = unsafe {
            (
                session_arg(F, session)?,
                str_arg(F, "cql", cql, cql_len)?,
                slice_arg(F, "values", values, value_count)?,
            )
        };
        let shared = &handle.shared;
        shared
            .block_on(
                shared
                    .session()
                    .query_unpaged(Statement::new(cql.to_owned()), values),
            )
            .map(|_| ())
            .map_err(BridgeError::from)
    })
}

/// Waits until every reachable node agrees on the schema version.
///
/// # Safety
/// `session` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_await_schema_agreement(
    session: *const SessionHandle,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_await_schema_agreement";
    guard(F, || {
        // SAFETY: NULL or live by the contract.
        let shared = &unsafe { session_arg(F, session) }?.shared;
        shared
            .block_on(shared.session().await_schema_agreement())
            .map(|_| ())
            .map_err(BridgeError::from)
    })
}

/// Prepares a statement; on success `*out` owns it (free with `cqlb_prepared_free`).
///
/// # Safety
/// `session` is NULL or live; `cql` points to `cql_len` bytes; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_prepare(
    session: *const SessionHandle,
    cql: *const c_char,
    cql_len: usize,
    idempotent: i32,
    out: *mut *mut PreparedHandle,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_prepare";
    guard(F, || {
        if out.is_null() {
            return Err(null_arg(F, "out"));
        }
        // SAFETY: `out` is non-null and writable by the contract.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: the arguments follow the contract above.
        let (handle, cql) = unsafe { (session_arg(F, session)?, str_arg(F, "cql", cql, cql_len)?) };
        let shared = &handle.shared;
        // The driver waits for every node to answer a PREPARE: one stuck node must not freeze
        // the caller.
        let timeout = shared.request_timeout;
        let mut statement = shared.block_on(async {
            match tokio::time::timeout(timeout, shared.session().prepare(cql.to_owned())).await {
                Ok(result) => result.map_err(BridgeError::from),
                Err(_) => Err(BridgeError::new(
                    ErrorKind::ClientTimeout,
                    0,
                    format!("{F}: no answer within {} ms", timeout.as_millis()),
                )),
            }
        })?;
        statement.set_is_idempotent(idempotent != 0);
        let prepared = Box::new(PreparedHandle { statement });
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(prepared)) };
        Ok(())
    })
}

/// The number of bind markers of a prepared statement; 0 for NULL.
///
/// # Safety
/// `prepared` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn cqlb_prepared_bind_count(prepared: *const PreparedHandle) -> usize {
    guard_value(0, || {
        // SAFETY: NULL or live by the contract.
        unsafe { prepared.as_ref() }.map_or(0, |p| p.statement.get_variable_col_specs().len())
    })
}

/// Frees a prepared statement; NULL is a no-op.
///
/// # Safety
/// `prepared` is NULL or from `cqlb_session_prepare`, not yet freed, not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn cqlb_prepared_free(prepared: *mut PreparedHandle) {
    if !prepared.is_null() {
        // SAFETY: came from Box::into_raw in `cqlb_session_prepare`; freed once by the contract.
        guard_value((), || drop(unsafe { Box::from_raw(prepared) }));
    }
}

/// Why `drive` stopped before every request had ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    Cancelled,
    Deadline(Duration),
}

/// How one request of `drive` ended.
#[derive(Debug)]
pub(crate) enum Ended<E> {
    Done(Result<(), E>),
    /// Started (maybe sent) and dropped unfinished: it may have been applied.
    Abandoned,
    /// Never started.
    NotStarted,
}

/// How `drive` may be cut short.
#[derive(Clone, Copy, Default)]
pub(crate) struct Limits<'a> {
    /// A byte that, once non-zero, cancels (looked at before anything starts and every
    /// `CANCEL_POLL`) ...
    pub cancel: Option<&'a AtomicU8>,
    /// ... this long after it was first seen set (zero: at once); meanwhile requests go on.
    pub cancel_grace: Duration,
    /// The longest the whole drive may take.
    pub deadline: Option<Duration>,
}

/// Runs `count` requests, `start(i)` making the i-th, at most `max_in_flight` at a time, in
/// order of `i`. Stops early, dropping the requests in flight, when `limits` say so.
pub(crate) async fn drive<E, Fut>(
    count: usize,
    max_in_flight: usize,
    mut start: impl FnMut(usize) -> Fut,
    limits: Limits<'_>,
) -> (Vec<Ended<E>>, Option<Stop>)
where
    Fut: Future<Output = Result<(), E>>,
{
    let Limits {
        cancel,
        cancel_grace,
        deadline,
    } = limits;
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Acquire) != 0);
    // Requests are taken from the iterator in order, so those started are a prefix.
    let started = Cell::new(0usize);
    let mut results: Vec<Option<Result<(), E>>> = (0..count).map(|_| None).collect();
    let stop = {
        let mut in_flight = pin!(futures::stream::iter(0..count)
            .map(|i| {
                started.set(i + 1);
                let request = start(i);
                async move { (i, request.await) }
            })
            .buffer_unordered(max_in_flight.max(1)));
        let mut ticker = tokio::time::interval(CANCEL_POLL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut timer = deadline.map(|d| Box::pin(tokio::time::sleep(d)));
        let mut grace: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
        std::future::poll_fn(|cx| loop {
            if grace.is_none() && cancelled() {
                if cancel_grace.is_zero() {
                    return Poll::Ready(Some(Stop::Cancelled));
                }
                grace = Some(Box::pin(tokio::time::sleep(cancel_grace)));
            }
            if let Some(grace) = grace.as_mut() {
                if grace.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Some(Stop::Cancelled));
                }
            }
            if let (Some(timer), Some(d)) = (timer.as_mut(), deadline) {
                if timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Some(Stop::Deadline(d)));
                }
            }
            match in_flight.as_mut().poll_next(cx) {
                Poll::Ready(Some((i, result))) => {
                    results[i] = Some(result);
                    continue;
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => {}
            }
            if cancel.is_some() && grace.is_none() && ticker.poll_tick(cx).is_ready() {
                continue;
            }
            return Poll::Pending;
        })
        .await
    };
    let started = started.get();
    let ended = results
        .into_iter()
        .enumerate()
        .map(|(i, result)| match result {
            Some(result) => Ended::Done(result),
            None if i < started => Ended::Abandoned,
            None => Ended::NotStarted,
        })
        .collect();
    (ended, stop)
}

/// The error of a row that `drive` stopped before its request ended.
fn stopped_error(stop: Stop, ended: &Ended<BridgeError>) -> BridgeError {
    let why = match stop {
        Stop::Cancelled => "the call was cancelled".to_owned(),
        Stop::Deadline(d) => format!("the call's deadline of {} ms passed", d.as_millis()),
    };
    match ended {
        Ended::Abandoned => BridgeError::new(
            ErrorKind::Abandoned,
            0,
            format!("abandoned in flight when {why}: the row may or may not have been written"),
        ),
        _ => BridgeError::new(
            ErrorKind::NotStarted,
            0,
            format!("not sent, as {why} first: nothing of the row was written"),
        ),
    }
}

/// Executes `prepared` once per row, at most `max_in_flight` requests at a time, until done,
/// cancelled or past the deadline. `values` holds `row_count` rows of `cqlb_prepared_bind_count`
/// values each (none for a statement without bind markers, which runs once per row).
/// `batch_ends` (`batch_count` entries, or NULL for one request per row) groups consecutive
/// rows: rows `[batch_ends[i-1], batch_ends[i])` go to Cassandra as one UNLOGGED BATCH of
/// `prepared` (a group of one as a plain execution). `row_errors` (`row_count` entries) receives
/// NULL for each row that succeeded and an owned error for each that failed; a failed batch fails
/// all its rows.
///
/// # Safety
/// `session`/`prepared` are NULL or live; `values` points to `value_count` values whose text stays
/// valid for the call; `batch_ends` is NULL or points to `batch_count` entries; `cancel` is NULL
/// or points to a byte that stays valid for the call and is only written atomically meanwhile;
/// `row_errors` is NULL or points to `row_count` writable pointers.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cqlb_session_execute_many(
    session: *const SessionHandle,
    prepared: *const PreparedHandle,
    values: *const CqlbValue,
    value_count: usize,
    row_count: usize,
    batch_ends: *const usize,
    batch_count: usize,
    max_in_flight: usize,
    cancel: *const u8,
    cancel_grace_ms: u32,
    deadline_ms: u32,
    row_errors: *mut *mut BridgeError,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_execute_many";
    guard(F, || {
        if row_count > 0 && row_errors.is_null() {
            return Err(null_arg(F, "row_errors"));
        }
        // SAFETY: NULL-checked above; `row_count` writable entries by the contract.
        let row_errors: &mut [*mut BridgeError] = if row_count == 0 {
            &mut []
        } else {
            unsafe { std::slice::from_raw_parts_mut(row_errors, row_count) }
        };
        row_errors.fill(std::ptr::null_mut());
        // SAFETY: the arguments follow the contract above.
        let (handle, prepared, values, batch_ends) = unsafe {
            (
                session_arg(F, session)?,
                prepared_arg(F, prepared)?,
                slice_arg(F, "values", values, value_count)?,
                slice_arg(F, "batch_ends", batch_ends, batch_count)?,
            )
        };
        // SAFETY: NULL or a byte valid for the call that others write only atomically (the
        // contract); AtomicU8 has the size and alignment of u8.
        let cancel: Option<&AtomicU8> =
            (!cancel.is_null()).then(|| unsafe { AtomicU8::from_ptr(cancel.cast_mut()) });
        let deadline = (deadline_ms > 0).then(|| Duration::from_millis(deadline_ms.into()));
        let width = prepared.statement.get_variable_col_specs().len();
        if row_count.checked_mul(width) != Some(values.len()) {
            return Err(BridgeError::invalid(format!(
                "{F}: {} values do not make {row_count} rows of {width} bind markers",
                values.len()
            )));
        }
        if max_in_flight == 0 {
            return Err(BridgeError::invalid(format!(
                "{F}: max_in_flight must be at least 1"
            )));
        }
        let requests = request_ranges(F, row_count, batch_ends)?;

        let shared = &handle.shared;
        let session = shared.session();
        let statement = &prepared.statement;
        // One batch statement per group size, built before the requests borrow them.
        let mut batches: HashMap<usize, Batch> = HashMap::new();
        for rows in requests.iter().map(|r| r.len()).filter(|&n| n > 1) {
            batches.entry(rows).or_insert_with(|| {
                let mut batch = Batch::new(BatchType::Unlogged);
                batch.set_is_idempotent(statement.get_is_idempotent());
                for _ in 0..rows {
                    batch.append_statement(statement.clone());
                }
                batch
            });
        }
        let row_values = |row: usize| &values[row * width..(row + 1) * width];
        // Each request borrows its rows straight from C memory; block_on keeps the borrow
        // within this call.
        let (ended, stop) = shared.block_on(drive(
            requests.len(),
            max_in_flight,
            |i| {
                let rows = requests[i].clone();
                let batches = &batches;
                async move {
                    let result = if rows.len() == 1 {
                        session.execute_unpaged(statement, row_values(rows.start)).await
                    } else {
                        let bound: Vec<&[CqlbValue]> = rows.clone().map(row_values).collect();
                        session.batch(&batches[&rows.len()], bound).await
                    };
                    result.map(|_| ()).map_err(BridgeError::from)
                }
            },
            Limits {
                cancel,
                cancel_grace: Duration::from_millis(cancel_grace_ms.into()),
                deadline,
            },
        ));
        // Failures are collected first and handed to C only once all rows are done, so a panic
        // midway leaves `row_errors` all NULL (nothing for C to free) rather than half-filled.
        let mut failures: Vec<(Range<usize>, BridgeError)> = Vec::new();
        for (rows, ended) in requests.into_iter().zip(ended) {
            match (ended, stop) {
                (Ended::Done(Ok(())), _) => {}
                (Ended::Done(Err(e)), _) => failures.push((rows, e)),
                (other, Some(stop)) => failures.push((rows, stopped_error(stop, &other))),
                (_, None) => {
                    return Err(BridgeError::internal(format!(
                        "{F}: a request did not end although the call was not stopped"
                    )))
                }
            }
        }
        for (rows, error) in failures {
            for row in rows {
                row_errors[row] = error.clone().into_raw();
            }
        }
        Ok(())
    })
}

/// `cqlb_node_info`: one node as the driver sees it; the strings belong to its `NodesHandle`.
#[repr(C)]
pub struct CqlbNodeInfo {
    pub address: *const c_char,
    pub datacenter: *const c_char,
    pub rack: *const c_char,
    pub connected: i32,
    pub enabled: i32,
}

/// `cqlb_nodes`: a snapshot of the driver's view of the cluster, owning its strings.
pub struct NodesHandle {
    _strings: Vec<CString>,
    infos: Vec<CqlbNodeInfo>,
}

/// One node's facts, before they become C strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NodeFacts {
    pub address: String,
    pub datacenter: String,
    pub rack: String,
    pub connected: bool,
    pub enabled: bool,
}

impl NodesHandle {
    pub(crate) fn new(facts: Vec<NodeFacts>) -> Box<Self> {
        let c = |s: String| CString::new(s.replace('\0', "")).unwrap_or_default();
        let mut strings = Vec::with_capacity(facts.len() * 3);
        let mut infos = Vec::with_capacity(facts.len());
        for node in facts {
            let (address, datacenter, rack) = (c(node.address), c(node.datacenter), c(node.rack));
            // A CString's buffer is on the heap: moving it into `strings` keeps the pointer.
            infos.push(CqlbNodeInfo {
                address: address.as_ptr(),
                datacenter: datacenter.as_ptr(),
                rack: rack.as_ptr(),
                connected: i32::from(node.connected),
                enabled: i32::from(node.enabled),
            });
            strings.extend([address, datacenter, rack]);
        }
        Box::new(NodesHandle {
            _strings: strings,
            infos,
        })
    }
}

/// A snapshot of the cluster's nodes as the driver sees them, without a request: `*out` owns
/// it (free with `cqlb_nodes_free`), `*nodes` points to its `*count` entries.
///
/// # Safety
/// `session` is NULL or live; `out`, `nodes` and `count` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_nodes(
    session: *const SessionHandle,
    out: *mut *mut NodesHandle,
    nodes: *mut *const CqlbNodeInfo,
    count: *mut usize,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_nodes";
    guard(F, || {
        if out.is_null() || nodes.is_null() || count.is_null() {
            return Err(null_arg(F, "out, nodes or count"));
        }
        // SAFETY: non-null and writable by the contract.
        unsafe {
            out.write(std::ptr::null_mut());
            nodes.write(std::ptr::null());
            count.write(0);
        }
        // SAFETY: NULL or live by the contract.
        let handle = unsafe { session_arg(F, session) }?;
        let state = handle.shared.session().get_cluster_state();
        let facts = state
            .get_nodes_info()
            .iter()
            .map(|node| NodeFacts {
                address: node.address.to_string(),
                datacenter: node.datacenter.clone().unwrap_or_default(),
                rack: node.rack.clone().unwrap_or_default(),
                connected: node.is_connected(),
                enabled: node.is_enabled(),
            })
            .collect();
        let snapshot = NodesHandle::new(facts);
        // SAFETY: as above; the entries live in the box, which C owns from here.
        unsafe {
            nodes.write(snapshot.infos.as_ptr());
            count.write(snapshot.infos.len());
            out.write(Box::into_raw(snapshot));
        }
        Ok(())
    })
}

/// How many keyspaces' metadata the driver holds.
///
/// # Safety
/// `session` is NULL or live; `count` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_session_keyspace_count(
    session: *const SessionHandle,
    count: *mut usize,
) -> *mut BridgeError {
    const F: &str = "cqlb_session_keyspace_count";
    guard(F, || {
        if count.is_null() {
            return Err(null_arg(F, "count"));
        }
        // SAFETY: NULL or live by the contract.
        let handle = unsafe { session_arg(F, session) }?;
        let keyspaces = handle.shared.session().get_cluster_state().keyspaces_iter().count();
        // SAFETY: non-null and writable by the contract.
        unsafe { count.write(keyspaces) };
        Ok(())
    })
}

/// Frees a node snapshot; NULL is a no-op.
///
/// # Safety
/// `nodes` is NULL or from `cqlb_session_nodes`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cqlb_nodes_free(nodes: *mut NodesHandle) {
    if !nodes.is_null() {
        // SAFETY: came from Box::into_raw in `cqlb_session_nodes`; freed once by the contract.
        guard_value((), || drop(unsafe { Box::from_raw(nodes) }));
    }
}

/// The row ranges of the requests: one per row without `batch_ends`, else one per entry, which
/// must rise strictly and end at `row_count`.
fn request_ranges(
    function: &str,
    row_count: usize,
    batch_ends: &[usize],
) -> Result<Vec<Range<usize>>, BridgeError> {
    if batch_ends.is_empty() {
        return Ok((0..row_count).map(|row| row..row + 1).collect());
    }
    let mut ranges = Vec::with_capacity(batch_ends.len());
    let mut start = 0;
    for &end in batch_ends {
        if end <= start || end > row_count {
            return Err(BridgeError::invalid(format!(
                "{function}: batch_ends must rise strictly up to {row_count} rows; {end} follows {start}"
            )));
        }
        ranges.push(start..end);
        start = end;
    }
    if start != row_count {
        return Err(BridgeError::invalid(format!(
            "{function}: batch_ends end at row {start}, not at the last row {row_count}"
        )));
    }
    Ok(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drain_waits_for_tasks_that_end_by_themselves_and_not_for_those_that_never_end() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let ends = runtime.spawn(async { tokio::time::sleep(Duration::from_millis(50)).await });
        drain(&runtime, Duration::from_secs(5));
        assert!(ends.is_finished());
        assert_eq!(runtime.metrics().num_alive_tasks(), 0);

        runtime.spawn(std::future::pending::<()>());
        let started = std::time::Instant::now();
        drain(&runtime, Duration::from_millis(100));
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(100) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
        runtime.shutdown_timeout(Duration::from_secs(1));
    }

    fn runtime() -> Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// Requests that end after `ms[i]` milliseconds (None: never), failing when odd.
    fn requests(ms: Vec<Option<u64>>) -> impl FnMut(usize) -> futures::future::BoxFuture<'static, Result<(), usize>> {
        move |i| {
            let wait = ms[i];
            Box::pin(async move {
                match wait {
                    Some(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                    None => futures::future::pending::<()>().await,
                }
                if i % 2 == 1 { Err(i) } else { Ok(()) }
            })
        }
    }

    fn kinds(ended: &[Ended<usize>]) -> Vec<&'static str> {
        ended
            .iter()
            .map(|e| match e {
                Ended::Done(Ok(())) => "ok",
                Ended::Done(Err(_)) => "failed",
                Ended::Abandoned => "abandoned",
                Ended::NotStarted => "not started",
            })
            .collect()
    }

    #[test]
    fn drive_runs_every_request_without_cancel_or_deadline() {
        let (ended, stop) =
            runtime().block_on(drive(4, 2, requests(vec![Some(1); 4]), Limits::default()));
        assert_eq!(stop, None);
        assert_eq!(kinds(&ended), ["ok", "failed", "ok", "failed"]);
    }

    #[test]
    fn drive_starts_nothing_when_cancelled_before() {
        let flag = AtomicU8::new(1);
        let (ended, stop) =
            runtime().block_on(drive(
            3,
            2,
            requests(vec![Some(1); 3]),
            Limits {
                cancel: Some(&flag),
                ..Limits::default()
            },
        ));
        assert_eq!(stop, Some(Stop::Cancelled));
        assert_eq!(kinds(&ended), ["not started"; 3]);
    }

    #[test]
    fn a_cancel_abandons_stalled_requests_within_a_poll_interval() {
        let flag = Arc::new(AtomicU8::new(0));
        let setter = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                flag.store(1, Ordering::Release);
            })
        };
        let began = std::time::Instant::now();
        // Two finish at once, then two stall for ever in flight; the fifth never starts.
        let ms = vec![Some(0), Some(0), None, None, Some(0)];
        let (ended, stop) = runtime().block_on(drive(
            5,
            2,
            requests(ms),
            Limits {
                cancel: Some(&*flag),
                ..Limits::default()
            },
        ));
        setter.join().unwrap();
        let took = began.elapsed();
        assert_eq!(stop, Some(Stop::Cancelled));
        assert_eq!(kinds(&ended), ["ok", "failed", "abandoned", "abandoned", "not started"]);
        assert!(took < Duration::from_millis(200) + 4 * CANCEL_POLL, "{took:?}");
    }

    #[test]
    fn a_deadline_ends_the_call_and_says_which_rows_are_safe_to_send_again() {
        let began = std::time::Instant::now();
        let ms = vec![Some(0), None, Some(0), Some(0)];
        let (ended, stop) = runtime().block_on(drive(
            4,
            1,
            requests(ms),
            Limits {
                deadline: Some(Duration::from_millis(100)),
                ..Limits::default()
            },
        ));
        assert!(began.elapsed() < Duration::from_secs(2));
        assert_eq!(stop, Some(Stop::Deadline(Duration::from_millis(100))));
        assert_eq!(kinds(&ended), ["ok", "abandoned", "not started", "not started"]);
        let e = stopped_error(stop.unwrap(), &Ended::Abandoned);
        assert_eq!(e.kind, ErrorKind::Abandoned);
        assert!(e.message().contains("deadline of 100 ms"), "{}", e.message());
        let e = stopped_error(Stop::Cancelled, &Ended::NotStarted);
        assert_eq!(e.kind, ErrorKind::NotStarted);
        assert!(e.message().contains("nothing of the row was written"), "{}", e.message());
    }

    #[test]
    fn a_cancel_with_grace_lets_quick_requests_finish_and_cuts_stalled_ones_at_its_end() {
        let flag = AtomicU8::new(1);
        let graced = |ms: Vec<Option<u64>>| {
            let began = std::time::Instant::now();
            let n = ms.len();
            let result = runtime().block_on(drive(
                n,
                2,
                requests(ms),
                Limits {
                    cancel: Some(&flag),
                    cancel_grace: Duration::from_millis(150),
                    deadline: None,
                },
            ));
            (result, began.elapsed())
        };
        // Set before the call: the requests still run, and all finish within the grace.
        let ((ended, stop), _) = graced(vec![Some(1); 6]);
        assert_eq!(stop, None);
        assert_eq!(kinds(&ended), ["ok", "failed", "ok", "failed", "ok", "failed"]);
        // A stalled one holds the call only until the grace ends.
        let ((ended, stop), took) = graced(vec![Some(1), None, Some(1), Some(1)]);
        assert_eq!(stop, Some(Stop::Cancelled));
        assert_eq!(kinds(&ended), ["ok", "abandoned", "ok", "failed"]);
        assert!(took >= Duration::from_millis(150) && took < Duration::from_secs(1), "{took:?}");
    }

    #[test]
    fn node_snapshots_keep_their_strings() {
        let nodes = NodesHandle::new(vec![NodeFacts {
            address: "127.0.0.1:9042".into(),
            datacenter: "dc1".into(),
            rack: "rack1".into(),
            connected: true,
            enabled: true,
        }]);
        let info = &nodes.infos[0];
        // SAFETY: the strings are owned by `nodes`, alive here.
        unsafe {
            assert_eq!(std::ffi::CStr::from_ptr(info.address).to_str().unwrap(), "127.0.0.1:9042");
            assert_eq!(std::ffi::CStr::from_ptr(info.rack).to_str().unwrap(), "rack1");
        }
        assert_eq!((info.connected, info.enabled), (1, 1));
    }

    #[test]
    fn without_batch_ends_every_row_is_a_request() {
        assert_eq!(request_ranges("f", 3, &[]).unwrap(), vec![0..1, 1..2, 2..3]);
        assert!(request_ranges("f", 0, &[]).unwrap().is_empty());
    }

    #[test]
    fn batch_ends_cut_the_rows_into_ranges() {
        assert_eq!(request_ranges("f", 5, &[2, 3, 5]).unwrap(), vec![0..2, 2..3, 3..5]);
    }

    #[test]
    fn batch_ends_that_repeat_fall_back_overrun_or_stop_short_are_refused() {
        for ends in [&[2usize, 2, 5][..], &[3, 2, 5], &[2, 6], &[2, 4], &[0, 5]] {
            let error = request_ranges("f", 5, ends).unwrap_err();
            assert!(error.message().starts_with("f: batch_ends"), "{ends:?}: {}", error.message());
        }
    }
}
