#!/usr/bin/env python3
"""The benchmark's reference processor: the original system's PySpark Structured Streaming job.

Built as the original was: a Kafka source, `from_json` with the message schema of the original system (name
string, movie string, rating int, timestamp string, then cast to a timestamp), an inner join with
the catalogue CSV (read once and cached), `uuid()` ids, and `foreachBatch` writing each
micro-batch through the spark-cassandra-connector, on a `local[2]` master with a small driver.

Three small differences from the original, all in its favour or needed for a like-for-like
comparison, none adding work: it writes to its own keyspace (default `bench_reference`) with the
ratings table (docs/contract.md, "The table"); where a catalogue title occurs twice the first row
is kept (as ratingstream does: docs/contract.md, "The catalogue and the join"), so every rating
gives exactly one row as in ratingstream (the original wrote two); records without a name or a
timestamp, or with a rating outside 1..10, are dropped instead of failing the batch (the same
validation ratingstream does). The Spark UI is off (less work for the reference).

For the benchmark it can stop by itself (--expect N: once N records went through; --until-idle D:
once Spark had no data in hand for D after the first records), and --progress prints one JSON line per
micro-batch on stdout: {"batch", "input", "start", "end", "duration_ms"} (times in Unix seconds;
"end" = start + the trigger's execution time, i.e. after the batch was written).

    python streaming_job.py --jars-file bench/.work/spark/jars.txt --catalog netflix.csv \\
        --topic movies_ratings --keyspace bench_reference --trigger 0 --starting-offsets earliest

--check only starts Spark and checks the Kafka source and the Cassandra connector load.
"""

import argparse
import json
import re
import sys
import time
from datetime import datetime


def seconds(text):
    """'500ms', '10s', '2m' or a plain number of seconds."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s|m)?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use 500ms, 10s, 2m)")
    value = float(m.group(1))
    return value / 1000 if m.group(2) == "ms" else value * 60 if m.group(2) == "m" else value


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap-servers", default="localhost:29092")
    p.add_argument("-t", "--topic", default="movies_ratings")
    p.add_argument("--catalog", help="the catalogue CSV (netflix.csv)")
    p.add_argument("--cassandra", default="127.0.0.1:9042", help="host[:port]")
    p.add_argument("--keyspace", default="bench_reference")
    p.add_argument("--table", default="movie_ratings")
    p.add_argument("--trigger", type=seconds, default=30.0, help="micro-batch interval; 0: back to back")
    p.add_argument("--starting-offsets", choices=["latest", "earliest"], default="latest")
    p.add_argument("--max-offsets-per-trigger", type=int)
    p.add_argument("--expect", type=int, help="stop once this many records went through")
    p.add_argument("--until-idle", type=seconds, help="stop once nothing arrived for this long")
    p.add_argument("--timeout", type=seconds, default=3600.0, help="stop after this long in any case")
    p.add_argument("--checkpoint", help="checkpoint folder (default: a temporary one)")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--driver-memory", default="1g")
    p.add_argument("--jars-file", help="a file listing the jars to load (written by bench/reference/setup)")
    p.add_argument("--progress", action="store_true", help="one JSON line per micro-batch on stdout")
    p.add_argument("--check", action="store_true", help="start Spark, check both data sources, exit")
    args = p.parse_args(argv)
    if not args.check and not args.catalog:
        p.error("--catalog is required")
    return args


def emit(obj):
    print(json.dumps(obj), flush=True)


def build_session(args):
    from pyspark.sql import SparkSession

    host, _, port = args.cassandra.partition(":")
    builder = (
        SparkSession.builder.master(args.master)
        .appName("movie-ratings-reference")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.cassandra.connection.host", host)
        .config("spark.cassandra.connection.port", port or "9042")
    )
    if args.jars_file:
        with open(args.jars_file, encoding="utf-8") as f:
            jars = [line.strip() for line in f if line.strip() and not line.startswith("#")]
        builder = builder.config("spark.jars", ",".join(jars))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def check(spark):
    jvm = spark._jvm
    loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
    for name in ("org.apache.spark.sql.kafka010.KafkaSourceProvider",
                 "org.apache.spark.sql.cassandra.DefaultSource"):
        jvm.java.lang.Class.forName(name, True, loader)
        print(f"check: {name} loads", file=sys.stderr)
    print(f"check: Spark {spark.version}", file=sys.stderr)


def catalogue_frame(spark, path):
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    schema = StructType([
        StructField("show_id", StringType()),
        StructField("title", StringType()),
        StructField("director", StringType()),
        StructField("country", StringType()),
        StructField("release_year", IntegerType()),
        StructField("rating", StringType()),
        StructField("duration", IntegerType()),
    ])
    films = spark.read.csv(path, header=True, schema=schema, mode="FAILFAST")
    # A title listed twice: the first row wins (as in ratingstream), so each rating gives one row.
    # The file is small and read as one partition, in file order; the kept rows become the cached
    # table.
    first = {}
    for film in films.collect():
        first.setdefault(film["title"], film)
    films = (spark.createDataFrame(list(first.values()), schema)
             .withColumnRenamed("rating", "age_rating"))
    films = films.cache()
    films.count()  # load it once, now
    return films


def start_query(spark, args):
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    message = StructType([
        StructField("name", StringType()),
        StructField("movie", StringType()),
        StructField("rating", IntegerType()),
        StructField("timestamp", StringType()),
    ])
    films = catalogue_frame(spark, args.catalog)

    source = (spark.readStream.format("kafka")
              .option("kafka.bootstrap.servers", args.bootstrap_servers)
              .option("subscribe", args.topic)
              .option("startingOffsets", args.starting_offsets))
    if args.max_offsets_per_trigger:
        source = source.option("maxOffsetsPerTrigger", args.max_offsets_per_trigger)
    ratings = (source.load()
               .select(F.from_json(F.col("value").cast("string"), message).alias("r"))
               .select("r.*")
               .withColumn("timestamp", F.to_timestamp("timestamp"))
               .where(F.col("name").isNotNull() & F.col("timestamp").isNotNull()
                      & F.col("rating").between(1, 10)))
    rows = (ratings.join(films, ratings.movie == films.title, "inner")
            .select(F.col("name"), F.col("timestamp"), F.expr("uuid()").alias("id"),
                    "country", "director", "duration", "movie",
                    F.col("age_rating").alias("rating"), F.col("rating").alias("rating_movie"),
                    "release_year", "show_id"))

    keyspace, table = args.keyspace, args.table

    def write_batch(batch, batch_id):
        (batch.write.format("org.apache.spark.sql.cassandra").mode("append")
         .options(keyspace=keyspace, table=table).save())

    writer = (rows.writeStream.foreachBatch(write_batch).outputMode("append")
              .trigger(processingTime=f"{int(round(args.trigger * 1000))} milliseconds"))
    if args.checkpoint:
        writer = writer.option("checkpointLocation", args.checkpoint)
    return writer.start()


def epoch(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def watch(query, args):
    """Reports each micro-batch and stops the query when --expect or --until-idle says so."""
    started = time.monotonic()
    last_batch, total = -1, 0
    last_input = time.monotonic()
    reason = "terminated"
    while query.isActive:
        query.awaitTermination(0.25)
        # lastProgress is one small conversion; the whole recent list only when a batch was skipped.
        last = query.lastProgress
        if last is None or last["batchId"] <= last_batch:
            updates = []
        elif last["batchId"] == last_batch + 1:
            updates = [last]
        else:
            updates = query.recentProgress
        for p in updates:
            if p["batchId"] <= last_batch or p.get("numInputRows", 0) == 0:
                continue
            last_batch = p["batchId"]
            total += p["numInputRows"]
            last_input = time.monotonic()
            if args.progress:
                start = epoch(p["timestamp"])
                duration = p.get("durationMs", {}).get("triggerExecution", 0)
                emit({"batch": p["batchId"], "input": p["numInputRows"], "start": round(start, 3),
                      "end": round(start + duration / 1000, 3), "duration_ms": duration,
                      "total": total})
        now = time.monotonic()
        # "Idle" counts from the last moment Spark had data in hand, not from the last batch that
        # completed: a long micro-batch (20 s for the first one at 5,000 records/s) is no pause.
        if query.status.get("isDataAvailable"):
            last_input = now
        if args.expect is not None and total >= args.expect:
            reason = f"expected {args.expect} records went through"
        elif args.until_idle is not None and total > 0 and now - last_input >= args.until_idle:
            reason = f"idle for {args.until_idle:g}s"
        elif now - started >= args.timeout:
            reason = f"timeout after {args.timeout:g}s"
        else:
            continue
        query.stop()
        break
    if query.exception() is not None:
        raise RuntimeError(str(query.exception()))
    print(f"reference: stopped ({reason}); {total} records", file=sys.stderr)
    return total


def main(argv):
    args = parse_args(argv)
    spark = build_session(args)
    try:
        if args.check:
            check(spark)
            return 0
        query = start_query(spark, args)
        if args.progress:
            emit({"event": "started", "time": round(time.time(), 3)})
        watch(query, args)
        return 0
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
