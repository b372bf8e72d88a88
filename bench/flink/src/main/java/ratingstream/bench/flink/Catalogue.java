package ratingstream.bench.flink;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The catalogue CSV, read once at start as streaming_job.py reads it: a header line (skipped; the
 * columns are taken by position, show_id,title,director,country,release_year,rating,duration),
 * RFC 4180 quoting, empty fields as null, a malformed line fails the start (Spark's FAILFAST).
 * Where a title occurs twice the first row wins, so each rating gives at most one row.
 */
final class Catalogue {
    static final int COLUMNS = 7;

    final Map<String, Film> byTitle;
    final int rows;
    final int duplicates;

    private Catalogue(Map<String, Film> byTitle, int rows, int duplicates) {
        this.byTitle = byTitle;
        this.rows = rows;
        this.duplicates = duplicates;
    }

    static final class BadFile extends Exception {
        BadFile(String message) { super(message); }
    }

    static Catalogue load(Path path) throws IOException, BadFile {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).build();
        Map<String, Film> byTitle = new HashMap<>();
        int rows = 0;
        int duplicates = 0;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            boolean header = true;
            for (CSVRecord record : parser) {
                if (header) {   // the header line, as Spark's header=True with a given schema
                    header = false;
                    continue;
                }
                if (record.size() != COLUMNS) {
                    throw new BadFile(path + ": line " + parser.getCurrentLineNumber() + " has " + record.size()
                        + " fields, not " + COLUMNS);
                }
                Film film = new Film();
                film.showId = text(record.get(0));
                film.title = text(record.get(1));
                film.director = text(record.get(2));
                film.country = text(record.get(3));
                film.releaseYear = integer(path, parser, "release_year", record.get(4));
                film.ageRating = text(record.get(5));
                film.duration = integer(path, parser, "duration", record.get(6));
                rows++;
                if (film.title == null) {
                    continue;   // a null title never matches (an inner join on equality)
                }
                if (byTitle.putIfAbsent(film.title, film) != null) {
                    duplicates++;
                }
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new BadFile(path + ": " + e.getMessage());
        }
        return new Catalogue(byTitle, rows, duplicates);
    }

    private static String text(String field) {
        return field.isEmpty() ? null : field;
    }

    private static Integer integer(Path path, CSVParser parser, String column, String field) throws BadFile {
        if (field.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(field.trim());
        } catch (NumberFormatException e) {
            throw new BadFile(path + ": line " + parser.getCurrentLineNumber() + ": " + column
                + " is not a whole number: '" + field + "'");
        }
    }
}
