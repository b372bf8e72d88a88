//! The driver's log: a minimal `tracing` subscriber that hands the driver's events at or above a
//! level to a C callback (`cqlb_set_log_callback`). Without it the driver's reports of nodes going
//! down or up, reconnects and schema trouble go nowhere.
//!
//! No secret leaves through it: the passwords of the sessions connected are blanked in every
//! message (the driver is not known to log them; this makes sure).

use std::ffi::{c_char, c_void, CString};
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Levels as the header numbers them: `CQLB_LOG_ERROR` (1) ... `CQLB_LOG_TRACE` (5).
pub const CQLB_LOG_OFF: i32 = 0;
pub const CQLB_LOG_ERROR: i32 = 1;
pub const CQLB_LOG_WARN: i32 = 2;
pub const CQLB_LOG_INFO: i32 = 3;
pub const CQLB_LOG_DEBUG: i32 = 4;
pub const CQLB_LOG_TRACE: i32 = 5;

/// `void (*cb)(int32_t level, const char* target, const char* message, void* user)`.
pub type LogCallback = unsafe extern "C" fn(
    level: i32,
    target: *const c_char,
    message: *const c_char,
    user: *mut c_void,
);

#[derive(Clone, Copy)]
struct Sink {
    callback: LogCallback,
    user: *mut c_void,
}

// SAFETY: the header requires the callback and its `user` to be callable from any thread.
unsafe impl Send for Sink {}
// SAFETY: as above.
unsafe impl Sync for Sink {}

static MAX_LEVEL: AtomicI32 = AtomicI32::new(CQLB_LOG_OFF);
static SINK: RwLock<Option<Sink>> = RwLock::new(None);
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<bool> = OnceLock::new();
/// Connects under way, and the events held back meanwhile (see `Connecting`).
static HELD: Mutex<Held> = Mutex::new(Held {
    connecting: 0,
    events: Vec::new(),
});
/// At most this many events are held back during connects; later ones are dropped.
const MAX_HELD: usize = 256;

struct Held {
    connecting: usize,
    events: Vec<(i32, CString, CString)>,
}

/// Holds the driver's events back while a session connects: a connect that fails returns an
/// error that says what they say (a refused login must be one line, not three), so they are
/// dropped then; a connect that succeeds forwards them (a dead contact point beside a live one
/// is worth a warning). Events of other sessions that come meanwhile share their fate.
pub(crate) struct Connecting {
    pub succeeded: bool,
}

impl Connecting {
    pub(crate) fn begin() -> Self {
        HELD.lock().unwrap_or_else(|p| p.into_inner()).connecting += 1;
        Connecting { succeeded: false }
    }
}

impl Drop for Connecting {
    fn drop(&mut self) {
        let events = {
            let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
            held.connecting = held.connecting.saturating_sub(1);
            if self.succeeded {
                std::mem::take(&mut held.events)
            } else {
                if held.connecting == 0 {
                    held.events.clear();
                }
                Vec::new()
            }
        };
        for (level, target, message) in events {
            forward(level, &target, &message);
        }
    }
}

fn forward(level: i32, target: &CString, message: &CString) {
    let Some(sink) = *SINK.read().unwrap_or_else(|p| p.into_inner()) else {
        return;
    };
    // SAFETY: the callback and `user` were given together by C, which keeps them valid and
    // callable from any thread (the header's contract); the strings live for the call.
    unsafe { (sink.callback)(level, target.as_ptr(), message.as_ptr(), sink.user) };
}

fn number(level: &Level) -> i32 {
    match *level {
        Level::ERROR => CQLB_LOG_ERROR,
        Level::WARN => CQLB_LOG_WARN,
        Level::INFO => CQLB_LOG_INFO,
        Level::DEBUG => CQLB_LOG_DEBUG,
        _ => CQLB_LOG_TRACE,
    }
}

/// Blanks `secret` in every later log message (a session's password).
pub(crate) fn add_secret(secret: &str) {
    if secret.is_empty() {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|p| p.into_inner());
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_owned());
    }
}

/// `text` with every secret replaced by `<redacted>`.
pub(crate) fn redact(mut text: String) -> String {
    let secrets = SECRETS.lock().unwrap_or_else(|p| p.into_inner());
    for secret in secrets.iter() {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "<redacted>");
        }
    }
    text
}

/// The event's message followed by its other fields: `Failed to establish control connection
/// (control_connection_address=127.0.0.1:9042, error=...)`.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.add(field, format_args!("{value}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            self.add(field, format_args!("{value:?}"));
        }
    }
}

impl Line {
    fn add(&mut self, field: &Field, value: fmt::Arguments<'_>) {
        if !self.fields.is_empty() {
            self.fields.push_str(", ");
        }
        let _ = write!(self.fields, "{}={}", field.name(), value);
    }

    fn text(self) -> String {
        match (self.message.is_empty(), self.fields.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.fields,
            (false, false) => format!("{} ({})", self.message, self.fields),
        }
    }
}

/// Events only: spans are not recorded (none is enabled), so nothing is kept per request.
struct Forwarder;

impl Subscriber for Forwarder {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // The level can change at run time: ask `enabled` every time (one atomic load).
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_event() && number(metadata.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if SINK.read().unwrap_or_else(|p| p.into_inner()).is_none() {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        let message = CString::new(redact(line.text()).replace('\0', "\\0")).unwrap_or_default();
        let target = CString::new(event.metadata().target().replace('\0', "")).unwrap_or_default();
        let level = number(event.metadata().level());
        {
            let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
            if held.connecting > 0 {
                if held.events.len() < MAX_HELD {
                    held.events.push((level, target, message));
                }
                return;
            }
        }
        forward(level, &target, &message);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Sends the driver's events at `max_level` and above to `callback` (NULL, or `max_level` 0: to
/// nothing). The first call installs the process's `tracing` subscriber; later calls change where
/// events go and from which level.
///
/// # Safety
/// `callback` is NULL or a function that may be called from any thread, with `user`, until the
/// next call of this function; it must not unwind.
#[no_mangle]
pub unsafe extern "C" fn cqlb_set_log_callback(
    max_level: i32,
    callback: Option<LogCallback>,
    user: *mut c_void,
) {
    crate::guard_value((), || {
        INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(Forwarder).is_ok());
        let sink = callback.map(|callback| Sink { callback, user });
        *SINK.write().unwrap_or_else(|p| p.into_inner()) = sink;
        let level = if sink.is_some() {
            max_level.clamp(CQLB_LOG_OFF, CQLB_LOG_TRACE)
        } else {
            CQLB_LOG_OFF
        };
        MAX_LEVEL.store(level, Ordering::Relaxed);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    static SEEN: Mutex<Vec<(i32, String, String)>> = Mutex::new(Vec::new());

    unsafe extern "C" fn collect(
        level: i32,
        target: *const c_char,
        message: *const c_char,
        _: *mut c_void,
    ) {
        // SAFETY: NUL-terminated strings valid for the call, as the subscriber passes them.
        let (target, message) = unsafe {
            (
                CStr::from_ptr(target).to_string_lossy().into_owned(),
                CStr::from_ptr(message).to_string_lossy().into_owned(),
            )
        };
        SEEN.lock().unwrap().push((level, target, message));
    }

    #[test]
    fn events_at_or_above_the_level_reach_the_callback_with_their_fields_and_no_secret() {
        add_secret("hunter2");
        // SAFETY: `collect` may be called from any thread and does not unwind.
        unsafe { cqlb_set_log_callback(CQLB_LOG_WARN, Some(collect), std::ptr::null_mut()) };
        tracing::warn!(
            address = "127.0.0.1:1",
            "node down; password hunter2 in the text"
        );
        tracing::info!("below the level");
        tracing::error!(error = ?"refused", "cannot connect");
        // SAFETY: as above; NULL turns the log off.
        unsafe { cqlb_set_log_callback(CQLB_LOG_DEBUG, None, std::ptr::null_mut()) };
        tracing::error!("after the callback is gone");
        let seen = SEEN.lock().unwrap().clone();
        SEEN.lock().unwrap().clear();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].0, CQLB_LOG_WARN);
        assert_eq!(
            seen[0].2,
            "node down; password <redacted> in the text (address=127.0.0.1:1)"
        );
        assert!(seen[0].1.starts_with("cql_bridge"), "{}", seen[0].1);
        assert_eq!(
            (seen[1].0, seen[1].2.as_str()),
            (CQLB_LOG_ERROR, "cannot connect (error=\"refused\")")
        );

        // While a session connects, events wait: dropped when it fails, forwarded when it works.
        // SAFETY: as above.
        unsafe { cqlb_set_log_callback(CQLB_LOG_WARN, Some(collect), std::ptr::null_mut()) };
        {
            let _failing = Connecting::begin();
            tracing::warn!("during a failed connect");
            assert!(SEEN.lock().unwrap().is_empty());
        }
        {
            let mut working = Connecting::begin();
            tracing::warn!("during a connect that works");
            working.succeeded = true;
        }
        tracing::warn!("after it");
        // SAFETY: as above.
        unsafe { cqlb_set_log_callback(CQLB_LOG_OFF, None, std::ptr::null_mut()) };
        let seen: Vec<String> = SEEN.lock().unwrap().iter().map(|s| s.2.clone()).collect();
        assert_eq!(seen, ["during a connect that works", "after it"]);
    }
}
