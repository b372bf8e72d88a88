package ratingstream.bench.flink;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by the job's tasks and main's watcher. The job runs on a local mini-cluster in
 * this JVM and its classes come from the application class path, so static counters are seen by
 * all subtasks and by main (they would not be on a distributed cluster, nor are they needed there).
 */
final class Progress {
    private Progress() {}

    /** Records read from Kafka (every record that reached the decoder). */
    static final LongAdder READ = new LongAdder();
    /** Records dropped by the validation (streaming_job.py's from_json + where). */
    static final LongAdder DROPPED = new LongAdder();
    /** Valid records without a film of their title (the inner join drops them). */
    static final LongAdder UNMATCHED = new LongAdder();
    /** Rows whose INSERT Cassandra acknowledged. */
    static final LongAdder WRITTEN = new LongAdder();
    /** Sink writers that are connected and have prepared their INSERT. */
    static final AtomicInteger WRITERS_READY = new AtomicInteger();

    /** Records that went through: dropped, unmatched, or written and acknowledged. */
    static long done() {
        return DROPPED.sum() + UNMATCHED.sum() + WRITTEN.sum();
    }
}
