/*
 * cql_bridge.h: the C ABI of cql-bridge, a thin layer over the scylla CQL driver (Rust; fully
 * compatible with Apache Cassandra). Hand-written; the Rust crate in cql-bridge/src implements it.
 *
 * Conventions
 * - Every fallible function returns a `cqlb_error*`: NULL on success, else an error the caller
 *   owns and frees with cqlb_error_free. Errors carry a kind, Cassandra's protocol error code
 *   (e.g. 0x2200 Invalid) when the server sent one, and a message.
 * - No function panics, aborts or unwinds into the caller: a failure inside the bridge (including
 *   a caught Rust panic) is returned as a CQLB_ERROR_INTERNAL error. A NULL pointer where a value
 *   is required is reported the same way.
 * - Text passed in is (pointer, length) UTF-8 and need not be NUL-terminated; a pointer may be
 *   NULL when its length is 0. Borrowed input (CQL text, values) must stay valid only for the
 *   duration of the call.
 * - Out-parameters are set to NULL first, and to an owned object only on success.
 * - Blocking: every call blocks the calling thread until the driver has finished. A session and
 *   its prepared statements may be used from many threads at once; a pager from one at a time.
 */
#ifndef CQL_BRIDGE_H
#define CQL_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors -------------------------------------------------------------------------------- */

typedef struct cqlb_error cqlb_error;

/* Error kinds (cqlb_error_kind): what went wrong, in the categories a caller acts on. The
 * numbers never change; new kinds get new numbers.
 * Whether a failed write may have been applied: not for CONNECTION and NOT_STARTED (nothing was
 * sent); perhaps for TIMEOUT, CLIENT_TIMEOUT, CONNECTION_BROKEN and ABANDONED. Writing it again
 * is safe then only because the statement is idempotent (cqlb_session_prepare): ratingstream's
 * writes are (docs/delivery.md, "Retries on a cluster"). */
enum {
  CQLB_ERROR_CONNECTION = 1,         /* not sent: no node reachable, connection refused, no
                                        connection or stream free, DNS failure */
  CQLB_ERROR_TIMEOUT = 2,            /* the server's read or write timeout (0x1200/0x1100): the
                                        coordinator heard from too few replicas in time; details in
                                        cqlb_error_timeout */
  CQLB_ERROR_UNAVAILABLE = 3,        /* not enough replicas alive (0x1000), node bootstrapping */
  CQLB_ERROR_OVERLOADED = 4,         /* the coordinator is overloaded (0x1001) */
  CQLB_ERROR_INVALID_QUERY = 5,      /* syntax (0x2000), invalid (0x2200), config, already exists,
                                        or values that cannot be bound */
  CQLB_ERROR_UNAUTHORIZED = 6,       /* bad credentials (0x0100) or permission denied (0x2100) */
  CQLB_ERROR_SERVER = 7,             /* any other error the server returned */
  CQLB_ERROR_INTERNAL = 8,           /* a failure in the driver or the bridge, a NULL argument,
                                        a caught panic */
  CQLB_ERROR_CLIENT_TIMEOUT = 9,     /* no answer within the request timeout (or the bridge's own
                                        bound on a call); the request may have been applied */
  CQLB_ERROR_CONNECTION_BROKEN = 10, /* the connection broke with the request sent or being sent */
  CQLB_ERROR_NOT_STARTED = 11,       /* cqlb_session_execute_many: not sent, as the call was
                                        cancelled or its deadline passed first */
  CQLB_ERROR_ABANDONED = 12          /* cqlb_session_execute_many: in flight when the call was
                                        cancelled or its deadline passed; may have been applied */
};

/* The kind (CQLB_ERROR_CONNECTION ... CQLB_ERROR_INTERNAL); 0 for NULL. */
int32_t cqlb_error_kind(const cqlb_error* error);
/* Cassandra's protocol error code when the server sent one, else 0; 0 for NULL. */
int32_t cqlb_error_code(const cqlb_error* error);
/* The message, NUL-terminated, valid until the error is freed; "" for NULL. */
const char* cqlb_error_message(const cqlb_error* error);
/* For a CQLB_ERROR_UNAVAILABLE error the server sent (0x1000): the consistency level asked for
 * ("LOCAL_QUORUM", "LOCAL_SERIAL", ...; valid until the error is freed), the replicas it needs
 * and those the coordinator saw alive. Returns 1 and sets each non-NULL output when the error
 * carries them, else 0 and leaves the outputs untouched. */
int32_t cqlb_error_unavailable(const cqlb_error* error, const char** consistency, int32_t* required, int32_t* alive);
/* For a CQLB_ERROR_TIMEOUT error (0x1100 write timeout, 0x1200 read timeout): the consistency
 * level, for a write its type ("SIMPLE", "UNLOGGED_BATCH", "BATCH_LOG", "CAS", ...; "" for a
 * read), the replicas that answered and those the level needs (strings valid until the error is
 * freed). Returns 1 and sets each non-NULL output when the error carries them, else 0 and leaves
 * the outputs untouched. */
int32_t cqlb_error_timeout(const cqlb_error* error, const char** consistency, const char** write_type,
                           int32_t* received, int32_t* required);
/* Frees an error; NULL is a no-op. */
void cqlb_error_free(cqlb_error* error);

/* ---- values ---------------------------------------------------------------------------------- */

/* Type tags of cqlb_value.type. */
enum {
  CQLB_NULL = 0,
  CQLB_TEXT = 1,      /* text, ascii, varchar; `text`/`text_len` */
  CQLB_INT = 2,       /* int (smallint, tinyint on read); `integer` */
  CQLB_BIGINT = 3,    /* bigint (counter on read); `integer` */
  CQLB_TIMESTAMP = 4, /* milliseconds since the Unix epoch; `integer` */
  CQLB_UUID = 5,      /* uuid, timeuuid; `uuid` in network byte order */
  CQLB_DOUBLE = 6,    /* double (float on read); `float64` */
  CQLB_BOOLEAN = 7,   /* boolean; `integer` 0 or 1 */
  CQLB_UNSET = 8      /* binding only: leaves the column as it is (CQL's unset value: no cell
                         and no tombstone, where CQLB_NULL deletes the cell) */
};

/* One CQL value; only the field its type names is meaningful.
 * Binding: an integer binds to int, bigint, smallint, tinyint or counter when it fits (else an
 * invalid_query error); a double to double exactly, or to float as the nearest float when
 * within float's range (else an invalid_query error); a uuid to uuid or timeuuid; text must be
 * valid UTF-8 and must outlive the call.
 * Reading: types outside the list above (date, blob, varint, collections, ...) are returned as
 * CQLB_TEXT holding their CQL literal; cqlb_pager_column_type names the real type. */
typedef struct cqlb_value {
  int32_t type; /* CQLB_NULL ... CQLB_BOOLEAN */
  const char* text;
  size_t text_len;
  int64_t integer;
  double float64;
  uint8_t uuid[16];
} cqlb_value;

/* ---- sessions ---------------------------------------------------------------------------------- */

typedef struct cqlb_session cqlb_session;
typedef struct cqlb_prepared cqlb_prepared;
typedef struct cqlb_pager cqlb_pager;

typedef struct cqlb_connect_options {
  const char* const* contact_points; /* "host" or "host:port", NUL-terminated */
  size_t contact_point_count;        /* at least 1 */
  const char* keyspace;              /* NULL or "": none selected */
  const char* username;              /* NULL or "": no authentication */
  const char* password;              /* used with username */
  uint32_t connect_timeout_ms;       /* per connection attempt; 0: 5000 */
  uint32_t request_timeout_ms;       /* client-side timeout of each request; 0: 12000 */
  int32_t tls;                       /* non-zero: TLS to every node, verifying its certificate */
  const char* tls_ca_file;           /* PEM CA certificates to trust; NULL or "": the system's */
  const char* tls_cert_file;         /* PEM client certificate (with tls_key_file); NULL: none */
  const char* tls_key_file;          /* PEM private key of tls_cert_file */
  const char* consistency;           /* every request's level by its CQL name, any case: "ONE",
                                        "LOCAL_QUORUM", ...; NULL or "": LOCAL_QUORUM. The serial
                                        levels are not accepted (invalid_query) */
  const char* local_datacenter;      /* NULL or "": every node is local. Else requests go only to
                                        nodes of this datacenter */
  const char* metadata_keyspace;     /* NULL or "": the driver reads every keyspace's metadata.
                                        Else only this keyspace's (it need not exist yet), without
                                        selecting it; `keyspace`, when given, wins */
} cqlb_connect_options;

/* Connects (one I/O runtime with two worker threads per session). Start-up as a whole is bounded
 * by connect_timeout_ms + request_timeout_ms. On success *out owns a session.
 * Routing is token-aware: a request goes first to a replica of its partition (for a batch, of
 * its first statement's partition). The driver fetches only what routing needs (keyspaces'
 * replication, tables' partitioners; with `keyspace` or `metadata_keyspace`, of that keyspace
 * only), not the columns of every table.
 * With tls, each node's certificate must chain to a trusted CA and carry the node's IP address
 * (the one the cluster reports for it) as a subjectAltName IP entry: a host name alone is
 * refused. A TLS file that cannot be read or parsed is an
 * CQLB_ERROR_INVALID_QUERY error naming the file. */
cqlb_error* cqlb_session_connect(const cqlb_connect_options* options, cqlb_session** out);
/* Closes the session; NULL is a no-op. Pagers still open keep the connections until freed. */
void cqlb_session_free(cqlb_session* session);

/* Runs one unprepared statement (DDL, a simple INSERT...) with `value_count` bound values (0 for
 * none) and waits for it. DDL also waits for schema agreement. */
cqlb_error* cqlb_session_execute(const cqlb_session* session, const char* cql, size_t cql_len, const cqlb_value* values,
                                 size_t value_count);
/* Waits until every reachable node agrees on the schema version, for 120 s at most (a node that
 * restarted can take a minute to catch up); a timeout is a CQLB_ERROR_TIMEOUT error. */
cqlb_error* cqlb_session_await_schema_agreement(const cqlb_session* session);

/* ---- prepared statements ---------------------------------------------------------------------- */

/* Prepares a statement on the cluster, within request_timeout_ms (the driver waits for every
 * node). On success *out owns it.
 * `idempotent` non-zero says that running the statement twice has the effect of running it
 * once (an INSERT of fixed values, a SELECT): the driver may then retry it on another node after
 * a timeout or a broken connection, when it cannot know whether the first attempt was applied.
 * Batches of an idempotent statement are idempotent. */
cqlb_error* cqlb_session_prepare(const cqlb_session* session, const char* cql, size_t cql_len, int32_t idempotent,
                                 cqlb_prepared** out);
/* The number of bind markers; 0 for NULL. */
size_t cqlb_prepared_bind_count(const cqlb_prepared* prepared);
/* Frees a prepared statement; NULL is a no-op. */
void cqlb_prepared_free(cqlb_prepared* prepared);

/* Executes `prepared` once per row, with at most `max_in_flight` (>= 1) requests outstanding.
 * `values` holds `row_count` rows of cqlb_prepared_bind_count(prepared) values, one row after the
 * other (so value_count == row_count * bind count; a statement without bind markers runs once per
 * row). `batch_ends` (`batch_count` entries; NULL and 0 for one request per row) groups
 * consecutive rows into requests: rows [batch_ends[i-1], batch_ends[i]) are sent as one UNLOGGED
 * BATCH of `prepared` (a group of one row as a plain execution); the entries rise strictly and
 * the last is row_count. Batches are meant for rows of one partition, which Cassandra applies as
 * one mutation. `row_errors` has `row_count` entries: each is set to NULL when its row succeeded,
 * else to an owned error the caller frees (every row of a failed batch gets one).
 * Each request is bounded by the request timeout; the call as a whole by:
 * - `cancel`: NULL, or a byte that another thread sets non-zero (atomically: C11 atomic_uchar,
 *   C++ std::atomic<bool> or std::atomic<uint8_t>) to end the call; it is read before the first
 *   request and every 50 ms. Once it is seen set the call goes on for at most `cancel_grace_ms`
 *   (0: none), still starting requests, so a call whose Cassandra answers can finish; it returns
 *   within about 100 ms after that;
 * - `deadline_ms`: 0 for none, else the call returns after that long.
 * Either way the call returns at once: rows whose requests had not started get a
 * CQLB_ERROR_NOT_STARTED error (nothing sent: safe to send again), rows in flight a
 * CQLB_ERROR_ABANDONED one (may have been applied).
 * Returns an error (and leaves every row_errors entry NULL) only when the call itself is wrong:
 * a NULL argument, a value count that is not row_count * bind count, batch_ends that do not
 * rise strictly to row_count, max_in_flight 0. */
cqlb_error* cqlb_session_execute_many(const cqlb_session* session, const cqlb_prepared* prepared,
                                      const cqlb_value* values, size_t value_count, size_t row_count,
                                      const size_t* batch_ends, size_t batch_count, size_t max_in_flight,
                                      const uint8_t* cancel, uint32_t cancel_grace_ms, uint32_t deadline_ms,
                                      cqlb_error** row_errors);

/* ---- the cluster as the driver sees it --------------------------------------------------------- */

typedef struct cqlb_nodes cqlb_nodes;

/* One node: "ip:port" the driver connects to, its datacenter and rack ("" when unknown),
 * `connected` non-zero when the driver holds at least one open connection to it now, `enabled`
 * non-zero when the driver keeps a connection pool for it at all (zero: left out by the load
 * balancing, e.g. in another datacenter than local_datacenter). */
typedef struct cqlb_node_info {
  const char* address;
  const char* datacenter;
  const char* rack;
  int32_t connected;
  int32_t enabled;
} cqlb_node_info;

/* How many keyspaces' metadata the driver holds (token-aware routing works for statements of
 * these keyspaces only). No request is sent. */
cqlb_error* cqlb_session_keyspace_count(const cqlb_session* session, size_t* count);

/* A snapshot of the nodes the driver knows, from its cluster state: no request is sent. On
 * success *out owns the snapshot and *nodes points to its *count entries, valid until
 * cqlb_nodes_free(*out). */
cqlb_error* cqlb_session_nodes(const cqlb_session* session, cqlb_nodes** out, const cqlb_node_info** nodes,
                               size_t* count);
/* Frees a snapshot; NULL is a no-op. */
void cqlb_nodes_free(cqlb_nodes* nodes);

/* ---- paged reads ---------------------------------------------------------------------------- */

/* Starts a paged read (`page_size` > 0 rows per page, fetched in the background as rows are
 * taken). Text queries are reads by this contract, and retried as idempotent. The first page is fetched before this
 * returns, so a bad query fails here. On success *out owns a pager. */
cqlb_error* cqlb_session_query(const cqlb_session* session, const char* cql, size_t cql_len, const cqlb_value* values,
                               size_t value_count, int32_t page_size, cqlb_pager** out);
cqlb_error* cqlb_session_query_prepared(const cqlb_session* session, const cqlb_prepared* prepared,
                                        const cqlb_value* values, size_t value_count, int32_t page_size,
                                        cqlb_pager** out);

/* The columns of the result; names and CQL type names ("text", "int", "bigint", "timestamp",
 * "uuid", "double", "boolean", "list<int>", ...) are NUL-terminated and valid while the pager
 * lives; "" when `column` is out of range. */
size_t cqlb_pager_column_count(const cqlb_pager* pager);
const char* cqlb_pager_column_name(const cqlb_pager* pager, size_t column);
const char* cqlb_pager_column_type(const cqlb_pager* pager, size_t column);

/* Takes the next row. On success *row points to cqlb_pager_column_count(pager) values (text
 * borrowed from the pager) valid until the next call or cqlb_pager_free, or is NULL after the
 * last row. After a failure every later call fails too (with that error), never NULL: an end of
 * rows always means the whole result was read. */
cqlb_error* cqlb_pager_next(cqlb_pager* pager, const cqlb_value** row);
/* Frees a pager; NULL is a no-op. */
void cqlb_pager_free(cqlb_pager* pager);

/* ---- the driver's log ------------------------------------------------------------------------ */

/* Log levels of cqlb_set_log_callback. */
enum {
  CQLB_LOG_OFF = 0,
  CQLB_LOG_ERROR = 1,
  CQLB_LOG_WARN = 2,
  CQLB_LOG_INFO = 3,
  CQLB_LOG_DEBUG = 4,
  CQLB_LOG_TRACE = 5
};

/* Sends the driver's log events (nodes down and up, reconnects, control connection and schema
 * trouble) at `max_level` and more severe to `callback`, with `user`; NULL or CQLB_LOG_OFF turns
 * it off. `target` is the driver's module, `message` the event's text with its fields
 * ("Failed to establish control connection (control_connection_address=..., error=...)");
 * both valid for the call only. The passwords of the sessions connected never appear: they are
 * replaced by "<redacted>". The callback may be called from any thread, at any time until the
 * next call of this function, and must not unwind. The first call installs the process's
 * `tracing` subscriber (once a process; a Rust program with its own cannot use this). */
void cqlb_set_log_callback(int32_t max_level,
                           void (*callback)(int32_t level, const char* target, const char* message, void* user),
                           void* user);

/* ---- misc ------------------------------------------------------------------------------------ */

/* The bridge's version, a static NUL-terminated string. */
const char* cqlb_version(void);
/* The version of the scylla driver linked into the bridge ("1.9.0"), a static NUL-terminated
 * string. */
const char* cqlb_driver_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CQL_BRIDGE_H */
