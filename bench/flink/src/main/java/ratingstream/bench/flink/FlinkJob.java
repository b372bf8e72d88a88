package ratingstream.bench.flink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark's Flink reference processor: bench/reference/streaming_job.py (the original
 * system's PySpark job) rebuilt on Apache Flink 1.20, running as a local mini-cluster in this JVM
 * with parallelism 2 (Spark's local[2]):
 *
 *   Kafka source -> decode + validate + join with the catalogue + uuid() -> Cassandra sink
 *
 * all three chained in each of the parallel subtasks. See bench/flink/README.md.
 *
 * For the benchmark it stops by itself (--expect N: once N records went through, i.e. were
 * dropped, unmatched or written and acknowledged; --until-idle D: once no record arrived for D
 * after the first records; --timeout D) with a stop-with-savepoint, which drains the job: the
 * sources stop, every sink flushes (waits for all its writes), the job finishes, the JVM exits 0.
 * --progress prints JSON lines on stdout that bench/run reads as it reads the PySpark job's:
 * {"event": "started", "time"} once the job runs, then per --progress-interval with records
 * {"batch", "input", "start", "end", "duration_ms", "total", "read", "written", "in_flight", "time"}.
 */
public final class FlinkJob {
    private FlinkJob() {}

    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    public static void main(String[] argv) {
        int code;
        try {
            code = run(Options.parse(argv));
        } catch (Options.UsageError e) {
            Options.usageError(ERR, e);
            code = 2;
        } catch (Catalogue.BadFile e) {
            ERR.println("flink reference: bad catalogue: " + e.getMessage());
            code = 2;
        } catch (Throwable t) {
            ERR.println("flink reference: failed: " + describe(t));
            t.printStackTrace(ERR);
            code = 1;
        }
        ERR.flush();
        OUT.flush();
        // Kafka's and the driver's threads are gone by now, but a lingering non-daemon thread of a
        // library must not keep the process alive once the job has ended.
        System.exit(code);
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(String.valueOf(t));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(" <- ").append(c);
        }
        return s.toString();
    }

    static int check() throws ClassNotFoundException {
        String[] classes = {
            "org.apache.flink.connector.kafka.source.KafkaSource",
            "org.apache.kafka.clients.consumer.KafkaConsumer",
            "com.datastax.oss.driver.api.core.CqlSession",
            "ratingstream.bench.flink.CassandraWriter",
            "org.apache.flink.client.deployment.executors.LocalExecutorFactory",
        };
        ClassLoader loader = FlinkJob.class.getClassLoader();
        for (String name : classes) {
            Class.forName(name, true, loader);
            ERR.println("check: " + name + " loads");
        }
        ERR.println("check: Flink " + EnvironmentInformation.getVersion() + ", Cassandra Java driver "
            + com.datastax.oss.driver.api.core.session.Session.OSS_DRIVER_COORDINATES.getVersion()
            + ", Java " + System.getProperty("java.version"));
        return 0;
    }

    static int run(Options o) throws Exception {
        if (o.check) {
            return check();
        }
        long launched = System.nanoTime();

        // The catalogue, read once, before the job starts (as the PySpark job caches it first).
        Catalogue catalogue = Catalogue.load(Paths.get(o.catalog));
        ERR.printf(Locale.ROOT, "flink reference: catalogue %s: %d films, %d titles (%d later duplicates ignored)%n",
                   o.catalog, catalogue.rows, catalogue.byTitle.size(), catalogue.duplicates);

        Map<String, String> settings = new HashMap<>();
        settings.put("restart-strategy.type", "none");        // a failed write fails the job
        settings.put("pipeline.object-reuse", "true");        // chained operators hand records on as they are
        Path tempDir = Files.createTempDirectory("ratingstream-flink-");
        Path savepoints = tempDir.resolve("savepoints");
        if (!o.checkpointInterval.isZero()) {
            settings.put("execution.checkpointing.interval", o.checkpointInterval.toMillis() + " ms");
            settings.put("execution.checkpointing.mode", "AT_LEAST_ONCE");
            if (o.checkpointDir != null) {
                Path dir = Paths.get(o.checkpointDir).toAbsolutePath();
                settings.put("execution.checkpointing.storage", "filesystem");
                settings.put("execution.checkpointing.dir", dir.toUri().toString());
                savepoints = dir.resolve("savepoints");
            }
        }
        Configuration conf = Configuration.fromMap(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);

        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
            .setBootstrapServers(o.bootstrapServers)
            .setTopics(o.topic)
            .setStartingOffsets("earliest".equals(o.startingOffsets) ? OffsetsInitializer.earliest()
                                                                      : OffsetsInitializer.latest())
            .setValueOnlyDeserializer(new BytesSchema())
            .setClientIdPrefix("ratingstream-bench-flink")
            .build();

        CassandraSink.Settings sink = new CassandraSink.Settings();
        sink.host = o.cassandraHost;
        sink.port = o.cassandraPort;
        sink.localDc = o.localDc;
        sink.keyspace = o.keyspace;
        sink.table = o.table;
        sink.maxInFlight = o.maxInFlight;
        sink.requestTimeout = o.requestTimeout;

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka " + o.topic)
            .flatMap(new DecodeAndJoin(new HashMap<>(catalogue.byTitle))).name("decode, validate, join")
            .sinkTo(new CassandraSink(sink)).name("cassandra " + o.keyspace + "." + o.table);

        JobClient job = env.executeAsync("movie-ratings-flink-reference");
        try {
            return watch(job, o, launched, savepoints);
        } finally {
            deleteTree(tempDir);
        }
    }

    /** Reports progress and stops the job when --expect, --until-idle or --timeout says so. */
    private static int watch(JobClient job, Options o, long launched, Path savepoints) throws Exception {
        CompletableFuture<?> result = job.getJobExecutionResult();
        boolean started = false;
        long intervalNanos = o.progressInterval.toNanos();
        long nextReport = 0;
        long lastDone = 0;
        long lastRead = 0;
        long lastArrival = System.nanoTime();
        double intervalStart = unixNow();
        long batch = 0;
        String reason = null;
        while (reason == null) {
            if (result.isDone()) {
                result.get();   // throws the job's failure
                reason = "the job ended by itself";
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
            long now = System.nanoTime();
            if (!started && Progress.WRITERS_READY.get() >= o.parallelism
                && job.getJobStatus().get(10, TimeUnit.SECONDS) == JobStatus.RUNNING) {
                started = true;
                nextReport = now + intervalNanos;
                intervalStart = unixNow();
                if (o.progress) {
                    emit(String.format(Locale.ROOT, "{\"event\": \"started\", \"time\": %.3f}", unixNow()));
                }
                ERR.printf(Locale.ROOT, "flink reference: job running after %.1f s%n", (now - launched) / 1e9);
            }
            long read = Progress.READ.sum();
            long done = Progress.done();
            if (read != lastRead) {
                lastRead = read;
                lastArrival = now;
            }
            if (started && now >= nextReport) {
                double end = unixNow();
                if (done != lastDone && o.progress) {
                    long written = Progress.WRITTEN.sum();
                    long inFlight = read - done;
                    emit(String.format(Locale.ROOT,
                        "{\"batch\": %d, \"input\": %d, \"start\": %.3f, \"end\": %.3f, \"duration_ms\": %d, "
                            + "\"total\": %d, \"read\": %d, \"written\": %d, \"in_flight\": %d, \"time\": %.3f}",
                        batch++, done - lastDone, intervalStart, end, Math.round((end - intervalStart) * 1000),
                        done, read, written, inFlight, end));
                }
                lastDone = done;
                intervalStart = end;
                nextReport = now + intervalNanos;
            }
            if (o.expect != null && done >= o.expect) {
                reason = "expected " + o.expect + " records went through";
            } else if (o.untilIdle != null && read > 0 && done == read
                       && now - lastArrival >= o.untilIdle.toNanos()) {
                reason = "idle for " + seconds(o.untilIdle.toNanos()) + "s";
            } else if (now - launched >= o.timeout.toNanos()) {
                reason = "timeout after " + seconds(o.timeout.toNanos()) + "s";
            }
        }
        if (!result.isDone()) {
            stop(job, result, savepoints);
        }
        long written = Progress.WRITTEN.sum();
        long done = Progress.done();
        if (o.progress) {
            emit(String.format(Locale.ROOT,
                "{\"event\": \"stopped\", \"reason\": \"%s\", \"total\": %d, \"read\": %d, \"written\": %d, "
                    + "\"dropped\": %d, \"unmatched\": %d, \"time\": %.3f}",
                reason, done, Progress.READ.sum(), written, Progress.DROPPED.sum(), Progress.UNMATCHED.sum(),
                unixNow()));
        }
        ERR.printf(Locale.ROOT, "flink reference: stopped (%s); %d records (%d rows written, %d dropped, "
                       + "%d unmatched) in %.1f s%n", reason, done, written, Progress.DROPPED.sum(),
                   Progress.UNMATCHED.sum(), (System.nanoTime() - launched) / 1e9);
        return 0;
    }

    /**
     * Stops the job with a savepoint: the sources stop, each sink flushes (every write in flight
     * acknowledged) before the savepoint completes, and the job finishes. Should that fail, it is
     * cancelled once nothing is in flight any more.
     */
    private static void stop(JobClient job, CompletableFuture<?> result, Path savepoints) throws Exception {
        try {
            job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
            result.get(120, TimeUnit.SECONDS);
            return;
        } catch (ExecutionException | TimeoutException e) {
            if (result.isDone()) {
                result.get();   // the job failed: report that
            }
            ERR.println("flink reference: stop-with-savepoint failed (" + describe(e) + "); cancelling once "
                + "nothing is in flight");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Progress.READ.sum() != Progress.done() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        if (Progress.READ.sum() != Progress.done()) {
            throw new IllegalStateException((Progress.READ.sum() - Progress.done())
                + " records still in flight after 60 s");
        }
        job.cancel().get(60, TimeUnit.SECONDS);
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the cancellation itself
        }
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%g", s);
    }

    private static double unixNow() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static void emit(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            ERR.println("flink reference: could not remove " + root + ": " + e.getMessage());
        }
    }
}
