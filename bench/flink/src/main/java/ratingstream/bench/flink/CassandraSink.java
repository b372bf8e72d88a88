package ratingstream.bench.flink;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The Cassandra sink. Flink's own Cassandra connector (flink-connector-cassandra) is not available
 * here, so this one is written as that connector's sink works (CassandraSinkBase): each parallel
 * subtask opens its own session, prepares the INSERT once and sends every row as one asynchronous
 * write, with at most --max-in-flight writes outstanding (a Semaphore); the first failed write
 * fails the job; on every checkpoint and at the end (close) it flushes, i.e. waits until every
 * write in flight is acknowledged. It uses the Apache Cassandra Java driver 4 instead of the
 * DataStax driver 3 the connector is built on (the same protocol and the same kind of async API).
 * The writer itself is {@link CassandraWriter}.
 */
final class CassandraSink implements Sink<RatingRow> {
    private static final long serialVersionUID = 1L;

    /** Everything a writer needs to connect; serialised into the job. */
    static final class Settings implements Serializable {
        private static final long serialVersionUID = 1L;
        String host;
        int port;
        String localDc;
        String keyspace;
        String table;
        int maxInFlight;
        Duration requestTimeout;
    }

    private final Settings settings;

    CassandraSink(Settings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<RatingRow> createWriter(WriterInitContext context) throws IOException {
        return new CassandraWriter(settings, context.getTaskInfo().getIndexOfThisSubtask());
    }

    /** Flink 1.20 still declares the old factory method abstract; it is not called by 1.20's runtime. */
    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public SinkWriter<RatingRow> createWriter(Sink.InitContext context) throws IOException {
        return new CassandraWriter(settings, context.getTaskInfo().getIndexOfThisSubtask());
    }
}
