package ratingstream.bench.flink;

import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;

import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Decoding, validation and the inner join with the catalogue: streaming_job.py's from_json,
 * to_timestamp, where(...) and join(films, movie == title, "inner"), then its select with uuid()
 * ids. The catalogue travels inside the function (read once by main, shipped with the job).
 */
final class DecodeAndJoin extends RichFlatMapFunction<byte[], RatingRow> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Film> films;

    DecodeAndJoin(HashMap<String, Film> films) {
        this.films = films;
    }

    @Override
    public void flatMap(byte[] value, Collector<RatingRow> out) {
        Progress.READ.increment();
        RatingDecoder.Rating r = RatingDecoder.decode(value);
        if (r == null) {
            Progress.DROPPED.increment();
            return;
        }
        Film film = r.movie == null ? null : films.get(r.movie);
        if (film == null) {
            Progress.UNMATCHED.increment();
            return;
        }
        RatingRow row = new RatingRow();
        row.name = r.name;
        row.timestamp = Instant.ofEpochSecond(Math.floorDiv(r.micros, 1_000_000L),
                                              Math.floorMod(r.micros, 1_000_000L) * 1_000L);
        row.id = UUID.randomUUID();
        row.movie = r.movie;
        row.ratingMovie = r.rating;
        row.film = film;
        out.collect(row);
    }
}
