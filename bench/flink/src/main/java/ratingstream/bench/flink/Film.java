package ratingstream.bench.flink;

import java.io.Serializable;

/**
 * One catalogue row, typed as streaming_job.py's schema types it (show_id, title, director,
 * country and rating as strings, release_year and duration as integers). An empty field is null,
 * as Spark's CSV reader makes it (its nullValue is the empty string).
 */
public final class Film implements Serializable {
    private static final long serialVersionUID = 1L;

    public String showId;
    public String title;
    public String director;
    public String country;
    public Integer releaseYear;
    public String ageRating;   // the catalogue's `rating` column (TV-MA, PG-13, ...)
    public Integer duration;   // minutes

    public Film() {}
}
