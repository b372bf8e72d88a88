//! Errors as values for C: a kind the caller acts on, Cassandra's protocol error code when the
//! server sent one (else 0), and a message. Every driver error type is classified here.

use std::ffi::{c_char, CString};

use scylla::errors::{
    ConnectionError, ConnectionPoolError, ConnectionSetupRequestErrorKind, DbError, ExecutionError,
    MetadataError, MetadataFetchErrorKind, NewSessionError, NextPageError, NextRowError,
    PagerExecutionError, PrepareError, RequestAttemptError, RequestError, SchemaAgreementError,
    UseKeyspaceError,
};
use scylla::statement::Consistency;

/// What went wrong, in the categories a caller acts on. Mirrors the `CQLB_ERROR_*` constants of the header.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Connection = 1,
    Timeout = 2,
    Unavailable = 3,
    Overloaded = 4,
    InvalidQuery = 5,
    Unauthorized = 6,
    Server = 7,
    Internal = 8,
    ClientTimeout = 9,
    ConnectionBroken = 10,
    NotStarted = 11,
    Abandoned = 12,
}

/// What an Unavailable error (0x1000) says: the consistency level asked for, the replicas it
/// needs and those the coordinator saw alive. The numbers let a caller say what is wrong (e.g.
/// a replication factor above the cluster's nodes) instead of quoting the driver's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unavailable {
    pub consistency: CString,
    pub required: i32,
    pub alive: i32,
}

/// What a server's read or write timeout (0x1200/0x1100) says: the consistency level asked for,
/// the replicas that answered and those it needs, and for a write its type (`SIMPLE`,
/// `UNLOGGED_BATCH`, `BATCH_LOG`, ...; empty for a read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerTimeout {
    pub consistency: CString,
    pub write_type: CString,
    pub received: i32,
    pub required: i32,
}

/// The error object handed to C as an opaque `cqlb_error*`.
#[derive(Clone, Debug)]
pub struct BridgeError {
    pub kind: ErrorKind,
    pub code: i32,
    message: CString,
    pub unavailable: Option<Unavailable>,
    pub timeout: Option<ServerTimeout>,
}

impl BridgeError {
    pub fn new(kind: ErrorKind, code: i32, message: impl Into<String>) -> Self {
        let mut message = message.into();
        // A C string cannot hold NUL: keep the rest of the text readable instead of failing.
        if message.contains('\0') {
            message = message.replace('\0', "\\0");
        }
        let message = CString::new(message).unwrap_or_default();
        BridgeError {
            kind,
            code,
            message,
            unavailable: None,
            timeout: None,
        }
    }

    /// The details of a server's answer (Unavailable, read or write timeout) kept beside the text.
    fn with_details(mut self, db: Option<&DbError>) -> Self {
        if let Some(db) = db {
            self.unavailable = unavailable_of_db(db);
            self.timeout = timeout_of_db(db);
        }
        self
    }

    /// The same error reported once more, for a call after the one that failed.
    pub fn again(&self) -> Self {
        let mut e = self.clone();
        e.message = CString::new(format!(
            "the read failed earlier and cannot go on: {}",
            self.message.to_string_lossy()
        ))
        .unwrap_or_default();
        e
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, 0, message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidQuery, 0, message)
    }

    pub fn message_ptr(&self) -> *const c_char {
        self.message.as_ptr()
    }

    pub fn message(&self) -> &str {
        self.message.to_str().unwrap_or("")
    }

    /// Moves the error to the heap for C, which frees it with `cqlb_error_free`.
    pub fn into_raw(self) -> *mut BridgeError {
        Box::into_raw(Box::new(self))
    }
}

/// Cassandra's error code and our kind for an ERROR response.
fn classify_db(db: &DbError) -> (ErrorKind, i32) {
    use ErrorKind::*;
    match db {
        DbError::ServerError => (Server, 0x0000),
        DbError::ProtocolError => (Server, 0x000A),
        DbError::AuthenticationError => (Unauthorized, 0x0100),
        DbError::Unavailable { .. } => (Unavailable, 0x1000),
        DbError::Overloaded => (Overloaded, 0x1001),
        DbError::IsBootstrapping => (Unavailable, 0x1002),
        DbError::TruncateError => (Server, 0x1003),
        // The server's own timeouts: the coordinator heard from too few replicas in time.
        DbError::WriteTimeout { .. } => (Timeout, 0x1100),
        DbError::ReadTimeout { .. } => (Timeout, 0x1200),
        DbError::ReadFailure { .. } => (Server, 0x1300),
        DbError::FunctionFailure { .. } => (Server, 0x1400),
        DbError::WriteFailure { .. } => (Server, 0x1500),
        DbError::SyntaxError => (InvalidQuery, 0x2000),
        DbError::Unauthorized => (Unauthorized, 0x2100),
        DbError::Invalid => (InvalidQuery, 0x2200),
        DbError::ConfigError => (InvalidQuery, 0x2300),
        DbError::AlreadyExists { .. } => (InvalidQuery, 0x2400),
        DbError::Unprepared { .. } => (Server, 0x2500),
        // ScyllaDB's extension: its code is negotiated per connection, so none is reported.
        DbError::RateLimitReached { .. } => (Overloaded, 0),
        DbError::Other(code) => (Server, *code),
        _ => (Server, 0),
    }
}

/// Builds an error from a driver error: `classify` gives kind and code, Display the message.
fn make(classified: (ErrorKind, i32), err: &dyn std::fmt::Display) -> BridgeError {
    BridgeError::new(classified.0, classified.1, err.to_string())
}

fn classify_attempt(e: &RequestAttemptError) -> (ErrorKind, i32) {
    match e {
        RequestAttemptError::DbError(db, _) => classify_db(db),
        // A value the column cannot take: for a single statement the driver reports it as
        // SerializationError, inside a BATCH as a request serialization error.
        RequestAttemptError::SerializationError(_)
        | RequestAttemptError::CqlRequestSerialization(_) => (ErrorKind::InvalidQuery, 0),
        // The connection broke with the request written to it or on its way: it may have been
        // applied.
        RequestAttemptError::BrokenConnectionError(_) => (ErrorKind::ConnectionBroken, 0),
        // No stream for the request on this connection: it was never sent.
        RequestAttemptError::UnableToAllocStreamId => (ErrorKind::Connection, 0),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_connection(e: &ConnectionError) -> (ErrorKind, i32) {
    match e {
        ConnectionError::ConnectionSetupRequestError(setup) => match setup.get_error() {
            ConnectionSetupRequestErrorKind::DbError(db, _) => classify_db(db),
            ConnectionSetupRequestErrorKind::MissingAuthentication
            | ConnectionSetupRequestErrorKind::StartAuthSessionError(_)
            | ConnectionSetupRequestErrorKind::AuthChallengeEvaluationError(_)
            | ConnectionSetupRequestErrorKind::AuthFinishError(_) => (ErrorKind::Unauthorized, 0),
            _ => (ErrorKind::Connection, 0),
        },
        ConnectionError::UseKeyspaceError(u) => classify_use_keyspace(u),
        _ => (ErrorKind::Connection, 0),
    }
}

fn classify_pool(e: &ConnectionPoolError) -> (ErrorKind, i32) {
    match e {
        ConnectionPoolError::Broken {
            last_connection_error,
        } => classify_connection(last_connection_error),
        _ => (ErrorKind::Connection, 0),
    }
}

fn classify_use_keyspace(e: &UseKeyspaceError) -> (ErrorKind, i32) {
    match e {
        UseKeyspaceError::BadKeyspaceName(_) => (ErrorKind::InvalidQuery, 0),
        UseKeyspaceError::RequestError(a) => classify_attempt(a),
        UseKeyspaceError::RequestTimeout(_) => (ErrorKind::ClientTimeout, 0),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_prepare(e: &PrepareError) -> (ErrorKind, i32) {
    match e {
        PrepareError::ConnectionPoolError(p) => classify_pool(p),
        PrepareError::AllAttemptsFailed { first_attempt } => classify_attempt(first_attempt),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_schema_agreement(e: &SchemaAgreementError) -> (ErrorKind, i32) {
    match e {
        SchemaAgreementError::ConnectionPoolError(p) => classify_pool(p),
        SchemaAgreementError::PrepareError(p) => classify_prepare(p),
        SchemaAgreementError::RequestError(a) => classify_attempt(a),
        SchemaAgreementError::Timeout(_) => (ErrorKind::ClientTimeout, 0),
        SchemaAgreementError::RequiredHostAbsent(_) => (ErrorKind::Connection, 0),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_metadata(e: &MetadataError) -> (ErrorKind, i32) {
    match e {
        MetadataError::ConnectionPoolError(p) => classify_pool(p),
        MetadataError::FetchError(f) => match &f.error {
            MetadataFetchErrorKind::PrepareError(a) => classify_attempt(a),
            MetadataFetchErrorKind::NextRowError(n) => classify_next_row(n),
            _ => (ErrorKind::Internal, 0),
        },
        _ => (ErrorKind::Server, 0),
    }
}

fn classify_request(e: &RequestError) -> (ErrorKind, i32) {
    match e {
        RequestError::EmptyPlan => (ErrorKind::Connection, 0),
        RequestError::ConnectionPoolError(p) => classify_pool(p),
        RequestError::RequestTimeout(_) => (ErrorKind::ClientTimeout, 0),
        RequestError::LastAttemptError(a) => classify_attempt(a),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_next_page(e: &NextPageError) -> (ErrorKind, i32) {
    match e {
        NextPageError::RequestFailure(r) => classify_request(r),
        NextPageError::PartitionKeyError(_) => (ErrorKind::InvalidQuery, 0),
        _ => (ErrorKind::Internal, 0),
    }
}

fn classify_next_row(e: &NextRowError) -> (ErrorKind, i32) {
    match e {
        NextRowError::NextPageError(p) => classify_next_page(p),
        _ => (ErrorKind::Internal, 0),
    }
}

/// The consistency level as CQL writes it (LOCAL_QUORUM), for messages.
fn consistency_name(c: Consistency) -> &'static str {
    match c {
        Consistency::Any => "ANY",
        Consistency::One => "ONE",
        Consistency::Two => "TWO",
        Consistency::Three => "THREE",
        Consistency::Quorum => "QUORUM",
        Consistency::All => "ALL",
        Consistency::LocalQuorum => "LOCAL_QUORUM",
        Consistency::EachQuorum => "EACH_QUORUM",
        Consistency::LocalOne => "LOCAL_ONE",
        Consistency::Serial => "SERIAL",
        Consistency::LocalSerial => "LOCAL_SERIAL",
    }
}

// The Unavailable answer inside an error, on the paths a server's answer to a request takes.
fn unavailable_of_db(db: &DbError) -> Option<Unavailable> {
    match db {
        DbError::Unavailable {
            consistency,
            required,
            alive,
        } => Some(Unavailable {
            consistency: CString::new(consistency_name(*consistency)).unwrap_or_default(),
            required: *required,
            alive: *alive,
        }),
        _ => None,
    }
}

fn timeout_of_db(db: &DbError) -> Option<ServerTimeout> {
    let c = |consistency: &Consistency| {
        CString::new(consistency_name(*consistency)).unwrap_or_default()
    };
    match db {
        DbError::WriteTimeout {
            consistency,
            received,
            required,
            write_type,
        } => Some(ServerTimeout {
            consistency: c(consistency),
            write_type: CString::new(write_type.as_str().replace('\0', "")).unwrap_or_default(),
            received: *received,
            required: *required,
        }),
        DbError::ReadTimeout {
            consistency,
            received,
            required,
            ..
        } => Some(ServerTimeout {
            consistency: c(consistency),
            write_type: CString::default(),
            received: *received,
            required: *required,
        }),
        _ => None,
    }
}

fn db_of_attempt(e: &RequestAttemptError) -> Option<&DbError> {
    match e {
        RequestAttemptError::DbError(db, _) => Some(db),
        _ => None,
    }
}

fn db_of_request(e: &RequestError) -> Option<&DbError> {
    match e {
        RequestError::LastAttemptError(a) => db_of_attempt(a),
        _ => None,
    }
}

fn db_of_prepare(e: &PrepareError) -> Option<&DbError> {
    match e {
        PrepareError::AllAttemptsFailed { first_attempt } => db_of_attempt(first_attempt),
        _ => None,
    }
}

fn db_of_next_page(e: &NextPageError) -> Option<&DbError> {
    match e {
        NextPageError::RequestFailure(r) => db_of_request(r),
        _ => None,
    }
}

impl From<ExecutionError> for BridgeError {
    fn from(e: ExecutionError) -> Self {
        let classified = match &e {
            ExecutionError::BadQuery(_) => (ErrorKind::InvalidQuery, 0),
            ExecutionError::EmptyPlan => (ErrorKind::Connection, 0),
            ExecutionError::PrepareError(p) => classify_prepare(p),
            ExecutionError::ConnectionPoolError(p) => classify_pool(p),
            ExecutionError::LastAttemptError(a) => classify_attempt(a),
            ExecutionError::RequestTimeout(_) => (ErrorKind::ClientTimeout, 0),
            ExecutionError::UseKeyspaceError(u) => classify_use_keyspace(u),
            ExecutionError::SchemaAgreementError(s) => classify_schema_agreement(s),
            ExecutionError::MetadataError(m) => classify_metadata(m),
            _ => (ErrorKind::Internal, 0),
        };
        let db = match &e {
            ExecutionError::LastAttemptError(a) => db_of_attempt(a),
            ExecutionError::PrepareError(p) => db_of_prepare(p),
            _ => None,
        };
        make(classified, &e).with_details(db)
    }
}

impl From<PrepareError> for BridgeError {
    fn from(e: PrepareError) -> Self {
        make(classify_prepare(&e), &e).with_details(db_of_prepare(&e))
    }
}

impl From<PagerExecutionError> for BridgeError {
    fn from(e: PagerExecutionError) -> Self {
        let classified = match &e {
            PagerExecutionError::PrepareError(p) => classify_prepare(p),
            PagerExecutionError::SerializationError(_) => (ErrorKind::InvalidQuery, 0),
            PagerExecutionError::NextPageError(n) => classify_next_page(n),
            PagerExecutionError::UseKeyspaceError(u) => classify_use_keyspace(u),
            PagerExecutionError::SchemaAgreementError(s) => classify_schema_agreement(s),
            PagerExecutionError::MetadataError(m) => classify_metadata(m),
            _ => (ErrorKind::Internal, 0),
        };
        let db = match &e {
            PagerExecutionError::PrepareError(p) => db_of_prepare(p),
            PagerExecutionError::NextPageError(n) => db_of_next_page(n),
            _ => None,
        };
        make(classified, &e).with_details(db)
    }
}

impl From<NextRowError> for BridgeError {
    fn from(e: NextRowError) -> Self {
        let db = match &e {
            NextRowError::NextPageError(p) => db_of_next_page(p),
            _ => None,
        };
        make(classify_next_row(&e), &e).with_details(db)
    }
}

impl From<SchemaAgreementError> for BridgeError {
    fn from(e: SchemaAgreementError) -> Self {
        make(classify_schema_agreement(&e), &e)
    }
}

impl From<NewSessionError> for BridgeError {
    fn from(e: NewSessionError) -> Self {
        let classified = match &e {
            NewSessionError::FailedToResolveAnyHostname(_) => (ErrorKind::Connection, 0),
            NewSessionError::EmptyKnownNodesList => (ErrorKind::InvalidQuery, 0),
            NewSessionError::MetadataError(m) => classify_metadata(m),
            NewSessionError::UseKeyspaceError(u) => classify_use_keyspace(u),
            NewSessionError::IllegalConfig(_) => (ErrorKind::InvalidQuery, 0),
            _ => (ErrorKind::Connection, 0),
        };
        make(classified, &e)
    }
}

// ---- C accessors --------------------------------------------------------------------------

/// The error's kind (`cqlb_error_kind`); 0 for NULL.
///
/// # Safety
/// `error` is NULL or a live error returned by this bridge.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_kind(error: *const BridgeError) -> i32 {
    // SAFETY: NULL or a live error, by the contract; `as_ref` handles NULL.
    crate::guard_value(0, || unsafe { error.as_ref() }.map_or(0, |e| e.kind as i32))
}

/// Cassandra's protocol error code, or 0 when the server sent none; 0 for NULL.
///
/// # Safety
/// `error` is NULL or a live error returned by this bridge.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_code(error: *const BridgeError) -> i32 {
    // SAFETY: NULL or a live error, by the contract; `as_ref` handles NULL.
    crate::guard_value(0, || unsafe { error.as_ref() }.map_or(0, |e| e.code))
}

/// The message, NUL-terminated, valid until the error is freed; "" for NULL.
///
/// # Safety
/// `error` is NULL or a live error returned by this bridge.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_message(error: *const BridgeError) -> *const c_char {
    let empty: *const c_char = c"".as_ptr();
    // SAFETY: NULL or a live error, by the contract; `as_ref` handles NULL.
    crate::guard_value(empty, || {
        unsafe { error.as_ref() }.map_or(empty, |e| e.message_ptr())
    })
}

/// The details of an Unavailable answer (`cqlb_error_unavailable`): 1 and the outputs set when
/// `error` carries them, else 0 and the outputs untouched.
///
/// # Safety
/// `error` is NULL or a live error returned by this bridge; each output is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_unavailable(
    error: *const BridgeError,
    consistency: *mut *const c_char,
    required: *mut i32,
    alive: *mut i32,
) -> i32 {
    crate::guard_value(0, || {
        // SAFETY: NULL or a live error, by the contract; `as_ref` handles NULL.
        let Some(u) = unsafe { error.as_ref() }.and_then(|e| e.unavailable.as_ref()) else {
            return 0;
        };
        // SAFETY: each output is NULL or writable, by the contract.
        unsafe {
            if !consistency.is_null() {
                consistency.write(u.consistency.as_ptr());
            }
            if !required.is_null() {
                required.write(u.required);
            }
            if !alive.is_null() {
                alive.write(u.alive);
            }
        }
        1
    })
}

/// The details of a server's read or write timeout (`cqlb_error_timeout`): 1 and the outputs set
/// when `error` carries them, else 0 and the outputs untouched.
///
/// # Safety
/// `error` is NULL or a live error returned by this bridge; each output is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_timeout(
    error: *const BridgeError,
    consistency: *mut *const c_char,
    write_type: *mut *const c_char,
    received: *mut i32,
    required: *mut i32,
) -> i32 {
    crate::guard_value(0, || {
        // SAFETY: NULL or a live error, by the contract; `as_ref` handles NULL.
        let Some(t) = unsafe { error.as_ref() }.and_then(|e| e.timeout.as_ref()) else {
            return 0;
        };
        // SAFETY: each output is NULL or writable, by the contract.
        unsafe {
            if !consistency.is_null() {
                consistency.write(t.consistency.as_ptr());
            }
            if !write_type.is_null() {
                write_type.write(t.write_type.as_ptr());
            }
            if !received.is_null() {
                received.write(t.received);
            }
            if !required.is_null() {
                required.write(t.required);
            }
        }
        1
    })
}

/// Frees an error; NULL is a no-op.
///
/// # Safety
/// `error` is NULL or an error returned by this bridge and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cqlb_error_free(error: *mut BridgeError) {
    if !error.is_null() {
        // SAFETY: came from Box::into_raw in `into_raw` and is freed once, by the contract.
        crate::guard_value((), || drop(unsafe { Box::from_raw(error) }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_errors_keep_cassandra_codes() {
        let invalid =
            RequestAttemptError::DbError(DbError::Invalid, "Keyspace 'x' does not exist".into());
        let e = BridgeError::from(ExecutionError::LastAttemptError(invalid));
        assert_eq!(e.kind, ErrorKind::InvalidQuery);
        assert_eq!(e.code, 0x2200);
        assert!(
            e.message().contains("Keyspace 'x' does not exist"),
            "{}",
            e.message()
        );

        let auth = RequestAttemptError::DbError(DbError::AuthenticationError, "bad".into());
        let e = BridgeError::from(ExecutionError::LastAttemptError(auth));
        assert_eq!((e.kind, e.code), (ErrorKind::Unauthorized, 0x0100));

        let overloaded = RequestAttemptError::DbError(DbError::Overloaded, "busy".into());
        let e = BridgeError::from(ExecutionError::LastAttemptError(overloaded));
        assert_eq!((e.kind, e.code), (ErrorKind::Overloaded, 0x1001));
    }

    #[test]
    fn unavailable_keeps_its_consistency_and_counts() {
        let db = DbError::Unavailable {
            consistency: Consistency::LocalQuorum,
            required: 2,
            alive: 1,
        };
        let attempt = RequestAttemptError::DbError(db, "Cannot achieve consistency level".into());
        let e = BridgeError::from(ExecutionError::LastAttemptError(attempt.clone()));
        assert_eq!((e.kind, e.code), (ErrorKind::Unavailable, 0x1000));
        let u = e.unavailable.expect("details kept");
        assert_eq!(u.consistency.to_str().unwrap(), "LOCAL_QUORUM");
        assert_eq!((u.required, u.alive), (2, 1));

        // Through a paged read too.
        let paged = BridgeError::from(PagerExecutionError::NextPageError(
            NextPageError::RequestFailure(RequestError::LastAttemptError(attempt)),
        ));
        assert_eq!(
            paged.unavailable.map(|u| (u.required, u.alive)),
            Some((2, 1))
        );

        let mut required = 0;
        let mut alive = 0;
        let mut consistency: *const c_char = std::ptr::null();
        let raw = e_with_details().into_raw();
        // SAFETY: a live error from into_raw, valid outputs; freed once below.
        unsafe {
            assert_eq!(
                cqlb_error_unavailable(raw, &mut consistency, &mut required, &mut alive),
                1
            );
            assert_eq!(
                std::ffi::CStr::from_ptr(consistency).to_str().unwrap(),
                "SERIAL"
            );
            assert_eq!((required, alive), (3, 2));
            cqlb_error_free(raw);
        }

        // Other errors carry none.
        let other = BridgeError::from(ExecutionError::RequestTimeout(
            std::time::Duration::from_millis(5),
        ));
        assert!(other.unavailable.is_none());
        let raw = other.into_raw();
        // SAFETY: as above; NULL outputs are allowed.
        unsafe {
            assert_eq!(
                cqlb_error_unavailable(
                    raw,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut()
                ),
                0
            );
            cqlb_error_free(raw);
        }
    }

    fn e_with_details() -> BridgeError {
        let db = DbError::Unavailable {
            consistency: Consistency::Serial,
            required: 3,
            alive: 2,
        };
        BridgeError::from(ExecutionError::LastAttemptError(
            RequestAttemptError::DbError(db, String::new()),
        ))
    }

    fn attempt(db: DbError) -> BridgeError {
        BridgeError::from(ExecutionError::LastAttemptError(
            RequestAttemptError::DbError(db, "from the server".into()),
        ))
    }

    #[test]
    fn every_server_error_has_its_kind_and_code() {
        use ErrorKind::*;
        let write_timeout = DbError::WriteTimeout {
            consistency: Consistency::LocalQuorum,
            received: 1,
            required: 2,
            write_type: scylla::errors::WriteType::UnloggedBatch,
        };
        let read_timeout = DbError::ReadTimeout {
            consistency: Consistency::One,
            received: 0,
            required: 1,
            data_present: false,
        };
        let cases = [
            (DbError::ServerError, Server, 0x0000),
            (DbError::ProtocolError, Server, 0x000A),
            (DbError::AuthenticationError, Unauthorized, 0x0100),
            (
                DbError::Unavailable {
                    consistency: Consistency::One,
                    required: 1,
                    alive: 0,
                },
                Unavailable,
                0x1000,
            ),
            (DbError::Overloaded, Overloaded, 0x1001),
            (DbError::IsBootstrapping, Unavailable, 0x1002),
            (DbError::TruncateError, Server, 0x1003),
            (write_timeout, Timeout, 0x1100),
            (read_timeout, Timeout, 0x1200),
            (
                DbError::ReadFailure {
                    consistency: Consistency::One,
                    received: 0,
                    required: 1,
                    numfailures: 1,
                    data_present: false,
                },
                Server,
                0x1300,
            ),
            (
                DbError::FunctionFailure {
                    keyspace: "k".into(),
                    function: "f".into(),
                    arg_types: vec![],
                },
                Server,
                0x1400,
            ),
            (
                DbError::WriteFailure {
                    consistency: Consistency::One,
                    received: 0,
                    required: 1,
                    numfailures: 1,
                    write_type: scylla::errors::WriteType::Simple,
                },
                Server,
                0x1500,
            ),
            (DbError::SyntaxError, InvalidQuery, 0x2000),
            (DbError::Unauthorized, Unauthorized, 0x2100),
            (DbError::Invalid, InvalidQuery, 0x2200),
            (DbError::ConfigError, InvalidQuery, 0x2300),
            (
                DbError::AlreadyExists {
                    keyspace: "k".into(),
                    table: "t".into(),
                },
                InvalidQuery,
                0x2400,
            ),
            (
                DbError::Unprepared {
                    statement_id: Default::default(),
                },
                Server,
                0x2500,
            ),
            (DbError::Other(0x7777), Server, 0x7777),
        ];
        for (db, kind, code) in cases {
            let what = format!("{db:?}");
            let e = attempt(db);
            assert_eq!((e.kind, e.code), (kind, code), "{what}");
        }
    }

    #[test]
    fn server_timeouts_keep_write_type_and_replica_counts() {
        let e = attempt(DbError::WriteTimeout {
            consistency: Consistency::LocalQuorum,
            received: 1,
            required: 2,
            write_type: scylla::errors::WriteType::UnloggedBatch,
        });
        let t = e.timeout.clone().expect("details kept");
        assert_eq!(t.write_type.to_str().unwrap(), "UNLOGGED_BATCH");
        assert_eq!(t.consistency.to_str().unwrap(), "LOCAL_QUORUM");
        assert_eq!((t.received, t.required), (1, 2));
        assert!(e.unavailable.is_none());

        let raw = e.into_raw();
        let (mut consistency, mut write_type) = (std::ptr::null(), std::ptr::null());
        let (mut received, mut required) = (-1, -1);
        // SAFETY: a live error from into_raw, valid outputs; freed once below.
        unsafe {
            assert_eq!(
                cqlb_error_timeout(
                    raw,
                    &mut consistency,
                    &mut write_type,
                    &mut received,
                    &mut required
                ),
                1
            );
            assert_eq!(
                std::ffi::CStr::from_ptr(write_type).to_str().unwrap(),
                "UNLOGGED_BATCH"
            );
            assert_eq!(
                std::ffi::CStr::from_ptr(consistency).to_str().unwrap(),
                "LOCAL_QUORUM"
            );
            assert_eq!((received, required), (1, 2));
            cqlb_error_free(raw);
        }

        let read = attempt(DbError::ReadTimeout {
            consistency: Consistency::One,
            received: 0,
            required: 1,
            data_present: false,
        });
        let t = read.timeout.expect("details kept");
        assert_eq!(t.write_type.to_str().unwrap(), "");
        assert_eq!((t.received, t.required), (0, 1));

        // A client timeout has none, and the accessor leaves its outputs alone.
        let client = BridgeError::from(ExecutionError::RequestTimeout(
            std::time::Duration::from_millis(5),
        ))
        .into_raw();
        // SAFETY: as above; NULL outputs are allowed.
        unsafe {
            assert_eq!(
                cqlb_error_timeout(
                    client,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    &mut received,
                    std::ptr::null_mut()
                ),
                0
            );
            assert_eq!(received, 1);
            cqlb_error_free(client);
        }
    }

    #[test]
    fn client_timeouts_are_apart_from_server_timeouts() {
        let e = BridgeError::from(ExecutionError::RequestTimeout(
            std::time::Duration::from_millis(5),
        ));
        assert_eq!((e.kind, e.code), (ErrorKind::ClientTimeout, 0));
        let paged = BridgeError::from(NextRowError::NextPageError(NextPageError::RequestFailure(
            RequestError::RequestTimeout(std::time::Duration::from_millis(5)),
        )));
        assert_eq!(paged.kind, ErrorKind::ClientTimeout);
        let schema = BridgeError::from(SchemaAgreementError::Timeout(
            std::time::Duration::from_secs(1),
        ));
        assert_eq!(schema.kind, ErrorKind::ClientTimeout);
    }

    #[test]
    fn a_request_never_sent_is_apart_from_a_connection_broken_after_sending() {
        use scylla::errors::{BrokenConnectionError, BrokenConnectionErrorKind};
        // Not sent: no connection in the pool, no node in the plan, no stream id.
        let refused = ConnectionError::IoError(std::sync::Arc::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        let pool = ExecutionError::ConnectionPoolError(ConnectionPoolError::Broken {
            last_connection_error: refused,
        });
        assert_eq!(BridgeError::from(pool).kind, ErrorKind::Connection);
        assert_eq!(
            BridgeError::from(ExecutionError::EmptyPlan).kind,
            ErrorKind::Connection
        );
        assert_eq!(
            BridgeError::from(ExecutionError::ConnectionPoolError(
                ConnectionPoolError::Initializing
            ))
            .kind,
            ErrorKind::Connection
        );
        let no_stream =
            ExecutionError::LastAttemptError(RequestAttemptError::UnableToAllocStreamId);
        assert_eq!(BridgeError::from(no_stream).kind, ErrorKind::Connection);

        // Broken with the request written: it may have been applied.
        let broken: BrokenConnectionError = BrokenConnectionErrorKind::UnexpectedStreamId(3).into();
        let e = BridgeError::from(ExecutionError::LastAttemptError(
            RequestAttemptError::BrokenConnectionError(broken),
        ));
        assert_eq!(e.kind, ErrorKind::ConnectionBroken);
    }

    #[test]
    fn the_other_attempt_errors_have_their_kinds() {
        let serialization = RequestAttemptError::SerializationError(
            scylla::serialize::SerializationError::new(crate::value::BindError("bad".into())),
        );
        assert_eq!(
            BridgeError::from(ExecutionError::LastAttemptError(serialization)).kind,
            ErrorKind::InvalidQuery
        );
        let unexpected =
            RequestAttemptError::UnexpectedResponse(scylla::errors::CqlResponseKind::Ready);
        assert_eq!(
            BridgeError::from(ExecutionError::LastAttemptError(unexpected)).kind,
            ErrorKind::Internal
        );
        // The same attempt errors inside a paged read's request.
        let broken: scylla::errors::BrokenConnectionError =
            scylla::errors::BrokenConnectionErrorKind::UnexpectedStreamId(1).into();
        let paged = BridgeError::from(NextRowError::NextPageError(NextPageError::RequestFailure(
            RequestError::LastAttemptError(RequestAttemptError::BrokenConnectionError(broken)),
        )));
        assert_eq!(paged.kind, ErrorKind::ConnectionBroken);
        assert_eq!(
            BridgeError::from(NextRowError::NextPageError(NextPageError::RequestFailure(
                RequestError::EmptyPlan
            )))
            .kind,
            ErrorKind::Connection
        );
    }

    #[test]
    fn kinds_keep_the_numbers_of_the_header() {
        use ErrorKind::*;
        let numbered = [
            (Connection, 1),
            (Timeout, 2),
            (Unavailable, 3),
            (Overloaded, 4),
            (InvalidQuery, 5),
            (Unauthorized, 6),
            (Server, 7),
            (Internal, 8),
            (ClientTimeout, 9),
            (ConnectionBroken, 10),
            (NotStarted, 11),
            (Abandoned, 12),
        ];
        for (kind, number) in numbered {
            assert_eq!(kind as i32, number, "{kind:?}");
        }
    }

    #[test]
    fn nul_in_message_is_escaped() {
        let e = BridgeError::internal("a\0b");
        assert_eq!(e.message(), "a\\0b");
    }
}
