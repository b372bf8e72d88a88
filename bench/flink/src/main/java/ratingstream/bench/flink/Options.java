package ratingstream.bench.flink;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line, mirroring bench/reference/streaming_job.py where the flags make sense. */
final class Options {
    String bootstrapServers = "localhost:29092";
    String topic = "movies_ratings";
    String catalog;
    String cassandraHost = "127.0.0.1";
    int cassandraPort = 9042;
    String localDc;                     // null: inferred from the contact point
    String keyspace = "bench_flink";
    String table = "movie_ratings";
    String startingOffsets = "latest";  // as streaming_job.py
    Long expect;                        // null: no such stop
    Duration untilIdle;                 // null: no such stop
    Duration timeout = Duration.ofSeconds(3600);
    int parallelism = 2;
    int maxInFlight = 128;
    Duration requestTimeout = Duration.ofSeconds(12);
    Duration checkpointInterval = Duration.ofSeconds(10);
    String checkpointDir;               // null: checkpoints in the JobManager's memory
    Duration progressInterval = Duration.ofSeconds(1);
    boolean progress;
    boolean check;

    static final String USAGE = String.join("\n",
        "usage: bench/flink/run [options]   (or: java -jar bench/flink/target/ratingstream-flink-bench.jar ...)",
        "",
        "The benchmark's Flink reference processor: the PySpark job of bench/reference/ on Apache Flink 1.20",
        "(a local mini-cluster in this JVM): Kafka source, JSON decoding, inner join with the catalogue,",
        "uuid() ids, an asynchronous Cassandra sink.",
        "",
        "  --bootstrap-servers HOSTS   Kafka (default localhost:29092)",
        "  -t, --topic NAME            the ratings topic (default movies_ratings)",
        "  --catalog FILE              the catalogue CSV (required, except with --check)",
        "  --cassandra HOST[:PORT]     (default 127.0.0.1:9042)",
        "  --local-dc NAME             the driver's local datacenter (default: inferred from the contact point)",
        "  --keyspace NAME             (default bench_flink; created beforehand: `ratingstream schema --keyspace NAME`)",
        "  --table NAME                (default movie_ratings)",
        "  --starting-offsets earliest|latest   (default latest)",
        "  --expect N                  stop once N records went through (decoded, dropped or written and acknowledged)",
        "  --until-idle D              stop once no record arrived for D after the first records",
        "  --timeout D                 stop after D in any case (default 3600s)",
        "  --parallelism N             the mini-cluster's parallelism (default 2, like Spark's local[2])",
        "  --max-in-flight N           writes in flight per sink subtask (default 128)",
        "  --request-timeout D         the Cassandra driver's request timeout (default 12s)",
        "  --checkpoint-interval D     Flink checkpoints (the sink flushes on each); 0: none (default 10s)",
        "  --checkpoint DIR            checkpoint folder (default: checkpoints in the JobManager's memory)",
        "  --progress                  JSON lines on stdout: {\"event\": \"started\"}, then one per interval",
        "  --progress-interval D       (default 1s)",
        "  --check                     start, load both connectors' classes, exit 0",
        "",
        "Durations: 500ms, 10s, 2m or a number of seconds.");

    static final class UsageError extends Exception {
        UsageError(String message) { super(message); }
    }

    private static final Pattern DURATION = Pattern.compile("\\s*([0-9]*\\.?[0-9]+)\\s*(ms|s|m)?\\s*");

    /** '500ms', '10s', '2m' or a plain number of seconds, as streaming_job.py reads them. */
    static Duration duration(String flag, String text) throws UsageError {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new UsageError(flag + ": not a duration: '" + text + "' (use 500ms, 10s, 2m)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = value * ("ms".equals(unit) ? 1e6 : "m".equals(unit) ? 60e9 : 1e9);
        return Duration.ofNanos(Math.round(nanos));
    }

    private static long number(String flag, String text, long min) throws UsageError {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min) {
                throw new UsageError(flag + ": must be at least " + min + ", not " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageError(flag + ": not a whole number: '" + text + "'");
        }
    }

    static Options parse(String[] argv) throws UsageError {
        Options o = new Options();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h": case "--help":
                    System.out.println(USAGE);
                    System.exit(0);
                    break;
                case "--progress": o.progress = true; continue;
                case "--check": o.check = true; continue;
                default: break;
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new UsageError(arg.startsWith("-") ? arg + " needs a value" : "unexpected argument: " + arg);
                }
                value = argv[++i];
            }
            switch (arg) {
                case "--bootstrap-servers": o.bootstrapServers = value; break;
                case "-t": case "--topic": o.topic = value; break;
                case "--catalog": o.catalog = value; break;
                case "--cassandra": {
                    int colon = value.lastIndexOf(':');
                    if (colon > 0 && value.indexOf(':') == colon) {
                        o.cassandraHost = value.substring(0, colon);
                        o.cassandraPort = (int) number(arg, value.substring(colon + 1), 1);
                    } else {
                        o.cassandraHost = value;
                    }
                    break;
                }
                case "--local-dc": o.localDc = value; break;
                case "--keyspace": o.keyspace = value; break;
                case "--table": o.table = value; break;
                case "--starting-offsets":
                    value = value.toLowerCase(Locale.ROOT);
                    if (!value.equals("earliest") && !value.equals("latest")) {
                        throw new UsageError("--starting-offsets: earliest or latest, not " + value);
                    }
                    o.startingOffsets = value;
                    break;
                case "--expect": o.expect = number(arg, value, 0); break;
                case "--until-idle": o.untilIdle = duration(arg, value); break;
                case "--timeout": o.timeout = duration(arg, value); break;
                case "--parallelism": o.parallelism = (int) number(arg, value, 1); break;
                case "--max-in-flight": o.maxInFlight = (int) number(arg, value, 1); break;
                case "--request-timeout": o.requestTimeout = duration(arg, value); break;
                case "--checkpoint-interval": o.checkpointInterval = duration(arg, value); break;
                case "--checkpoint": o.checkpointDir = value; break;
                case "--progress-interval": o.progressInterval = duration(arg, value); break;
                default: throw new UsageError("unknown option: " + arg + " (--help lists them)");
            }
        }
        if (!o.check && o.catalog == null) {
            throw new UsageError("--catalog is required");
        }
        if (o.progressInterval.toMillis() < 10) {
            throw new UsageError("--progress-interval: at least 10ms");
        }
        return o;
    }

    static void usageError(PrintStream err, UsageError e) {
        err.println("flink reference: " + e.getMessage());
    }
}
