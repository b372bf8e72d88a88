package ratingstream.bench.flink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.flink.api.connector.sink2.SinkWriter;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * One sink subtask's writer, built as flink-connector-cassandra's CassandraSinkBase: its own
 * session; one prepared INSERT; every row one asynchronous write; a Semaphore of --max-in-flight
 * permits taken before each write and given back when Cassandra answers, so at most that many
 * writes are outstanding (a full semaphore blocks the task, i.e. back-pressure); the first failure
 * is kept and thrown from the next write, flush or close, which fails the job (no restarts); flush
 * (on each checkpoint, at the end of input and in close) takes all permits, i.e. waits for every
 * write in flight, then gives them back.
 */
final class CassandraWriter implements SinkWriter<RatingRow> {
    /** The table's eleven columns in the order docs/contract.md declares them. */
    static final String[] COLUMNS = {
        "name", "timestamp", "id", "country", "director", "duration", "movie", "rating", "rating_movie",
        "release_year", "show_id"};

    private final CqlSession session;
    private final PreparedStatement insert;
    private final Semaphore permits;
    private final int maxInFlight;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    CassandraWriter(CassandraSink.Settings s, int subtask) throws IOException {
        this.maxInFlight = s.maxInFlight;
        this.permits = new Semaphore(s.maxInFlight);
        ClassLoader loader = CassandraWriter.class.getClassLoader();
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder(loader)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, s.requestTimeout)
            .withString(DefaultDriverOption.SESSION_NAME, "flink-sink-" + subtask);
        if (s.localDc == null) {
            // The local stack is one datacenter: take it from the contact point.
            config.withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy");
        }
        CqlSessionBuilder builder = CqlSession.builder()
            .withClassLoader(loader)
            .withConfigLoader(config.build())
            .addContactPoint(new InetSocketAddress(s.host, s.port));
        if (s.localDc != null) {
            builder.withLocalDatacenter(s.localDc);
        }
        CqlSession opened = null;
        try {
            opened = builder.build();
            this.insert = opened.prepare(insertCql(s.keyspace, s.table));
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            throw new IOException("Cassandra at " + s.host + ":" + s.port + ", table " + s.keyspace + "." + s.table
                + " (create it with `ratingstream schema --keyspace " + s.keyspace + "`): " + e.getMessage(), e);
        }
        this.session = opened;
        Progress.WRITERS_READY.incrementAndGet();
    }

    static String insertCql(String keyspace, String table) {
        StringBuilder cql = new StringBuilder("INSERT INTO ")
            .append(CqlIdentifier.fromInternal(keyspace).asCql(true)).append('.')
            .append(CqlIdentifier.fromInternal(table).asCql(true)).append(" (");
        for (int i = 0; i < COLUMNS.length; i++) {
            cql.append(i == 0 ? "" : ", ").append(CqlIdentifier.fromInternal(COLUMNS[i]).asCql(true));
        }
        cql.append(") VALUES (");
        for (int i = 0; i < COLUMNS.length; i++) {
            cql.append(i == 0 ? "?" : ", ?");
        }
        return cql.append(')').toString();
    }

    @Override
    public void write(RatingRow row, Context context) throws IOException, InterruptedException {
        checkFailure();
        Film f = row.film;
        // All eleven values, nulls included (Spark's connector writes a null catalogue field as null).
        BoundStatement bound = insert.bind(row.name, row.timestamp, row.id, f.country, f.director, f.duration,
                                           row.movie, f.ageRating, row.ratingMovie, f.releaseYear, f.showId);
        permits.acquire();
        try {
            session.executeAsync(bound).whenComplete((result, error) -> {
                if (error == null) {
                    Progress.WRITTEN.increment();
                } else {
                    failure.compareAndSet(null, error);
                }
                permits.release();
            });
        } catch (RuntimeException e) {
            permits.release();
            throw new IOException("Cassandra write failed: " + e.getMessage(), e);
        }
    }

    /** Waits until every write in flight is acknowledged (or failed). */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        checkFailure();
        permits.acquire(maxInFlight);
        permits.release(maxInFlight);
        checkFailure();
    }

    private void checkFailure() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("a Cassandra write failed: " + t, t);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            flush(true);
        } finally {
            session.close();
        }
    }
}
