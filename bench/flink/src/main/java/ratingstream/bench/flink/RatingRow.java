package ratingstream.bench.flink;

import java.time.Instant;
import java.util.UUID;

/** One row of the ratings table (docs/contract.md, "The table"): a rating joined with its film. */
public final class RatingRow {
    public String name;
    public Instant timestamp;   // microseconds; the table keeps milliseconds
    public UUID id;             // random, as Spark's uuid()
    public String movie;
    public int ratingMovie;     // the person's score, 1..10
    public Film film;

    public RatingRow() {}
}
