package ratingstream.bench.flink;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * streaming_job.py's `from_json(value, schema)` with the message schema (name string, movie
 * string, rating int, timestamp string), then `to_timestamp(timestamp)` and its filter (name and
 * timestamp not null, rating between 1 and 10). A record that fails any of these is dropped.
 *
 * As Spark's JSON reader: field names match exactly; other fields are ignored; a null counts as
 * missing; a string field given another JSON value holds that value's JSON text; `rating` must be
 * a JSON integer that fits 32 bits ("7", 7.0 are null); a value that is not a JSON object, or JSON
 * that is broken before the object ends, gives nulls, i.e. a dropped record.
 */
final class RatingDecoder {
    private static final JsonFactory JSON = new JsonFactory();

    /** The decoded message; null fields where Spark has nulls. */
    static final class Rating {
        String name;
        String movie;
        int rating;
        long micros;
    }

    private RatingDecoder() {}

    /** The rating, or null where streaming_job.py drops the record. */
    static Rating decode(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        String name = null;
        String movie = null;
        String timestamp = null;
        Integer rating = null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name": name = text(p, v); break;
                    case "movie": movie = text(p, v); break;
                    case "timestamp": timestamp = text(p, v); break;
                    case "rating":
                        if (v == JsonToken.VALUE_NUMBER_INT) {
                            if (p.getNumberType() != JsonParser.NumberType.INT) {
                                return null;   // Spark fails the row: out of 32 bits
                            }
                            rating = p.getIntValue();
                        } else if (v == JsonToken.VALUE_NULL) {
                            rating = null;
                        } else {
                            return null;       // Spark cannot convert it: the row is null
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (name == null || rating == null || rating < 1 || rating > 10) {
            return null;
        }
        long micros = SparkTimestamp.parseMicros(timestamp);
        if (micros == SparkTimestamp.NULL) {
            return null;
        }
        Rating r = new Rating();
        r.name = name;
        r.movie = movie;
        r.rating = rating;
        r.micros = micros;
        return r;
    }

    /** A string-typed field: the string, null for null, else the value's JSON text (Spark's rule). */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }
}
