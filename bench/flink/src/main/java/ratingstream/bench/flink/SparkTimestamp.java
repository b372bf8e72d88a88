package ratingstream.bench.flink;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Spark's `to_timestamp(string)` without a format (a cast to timestamp, non-ANSI), with the session
 * zone UTC as streaming_job.py sets it: null where Spark gives null.
 *
 * Accepted, as Spark documents its cast: the string with surrounding white space and control
 * characters trimmed, then
 * {@code [+-]yyyy[y[y]][-[m]m[-[d]d]]} optionally followed by {@code T} or a space and
 * {@code [h]h[:[m]m[:[s]s[.fraction]]]} and a zone: {@code Z}, an offset ({@code +h}, {@code +hh},
 * {@code +hh:mm}, {@code +hhmm}, {@code +hh:mm:ss}), or a zone id ({@code UTC}, {@code GMT+1},
 * {@code Europe/Paris}, optionally after a space). Fraction digits after the sixth are truncated
 * (Spark keeps microseconds). Dates and times that do not exist give null. No zone: UTC.
 * One form is not taken: a time without a date (Spark puts today's date in front of it);
 * it gives null here, so such a record is dropped.
 */
final class SparkTimestamp {
    private SparkTimestamp() {}

    /** Microseconds since the epoch, or Long.MIN_VALUE where Spark's cast gives null. */
    static final long NULL = Long.MIN_VALUE;

    static long parseMicros(String raw) {
        if (raw == null) {
            return NULL;
        }
        String s = trimAll(raw);
        int n = s.length();
        if (n == 0) {
            return NULL;
        }
        int[] pos = {0};
        int sign = 1;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            sign = s.charAt(0) == '-' ? -1 : 1;
            pos[0] = 1;
        }
        int year = digits(s, pos, 4, 6);
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        ZoneId zone = ZoneOffset.UTC;
        if (year < 0) {
            return NULL;
        }
        if (next(s, pos, '-')) {
            if ((month = digits(s, pos, 1, 2)) < 0) {
                return NULL;
            }
            if (next(s, pos, '-')) {
                if ((day = digits(s, pos, 1, 2)) < 0) {
                    return NULL;
                }
                if (next(s, pos, 'T') || next(s, pos, ' ')) {
                    if ((hour = digits(s, pos, 1, 2)) < 0) {
                        return NULL;
                    }
                    if (next(s, pos, ':')) {
                        if ((minute = digits(s, pos, 1, 2)) < 0) {
                            return NULL;
                        }
                        if (next(s, pos, ':')) {
                            if ((second = digits(s, pos, 1, 2)) < 0) {
                                return NULL;
                            }
                            if (next(s, pos, '.')) {
                                int count = 0;
                                while (pos[0] < n && isDigit(s.charAt(pos[0]))) {
                                    if (count < 6) {   // truncated to microseconds, as Spark does
                                        micros = micros * 10 + (s.charAt(pos[0]) - '0');
                                    }
                                    count++;
                                    pos[0]++;
                                }
                                for (int k = count; k < 6; k++) {
                                    micros *= 10;
                                }
                            }
                        }
                    }
                    if (pos[0] < n) {
                        zone = zone(s.substring(pos[0]));
                        if (zone == null) {
                            return NULL;
                        }
                        pos[0] = n;
                    }
                }
            }
        }
        if (pos[0] != n) {
            return NULL;   // anything else after a date ("2025-03-13x", "2025/03/13")
        }
        try {
            LocalDateTime local = LocalDateTime.of(LocalDate.of(sign * year, month, day),
                                                   LocalTime.of(hour, minute, second));
            Instant instant = local.atZone(zone).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), micros);
        } catch (DateTimeException | ArithmeticException e) {
            return NULL;
        }
    }

    private static boolean next(String s, int[] pos, char c) {
        if (pos[0] < s.length() && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    /** A zone as Spark reads one after the time; null if it is not one. */
    private static ZoneId zone(String text) {
        String z = text.strip();
        if (z.isEmpty()) {
            return null;
        }
        try {
            if (z.equals("Z") || z.equals("z")) {
                return ZoneOffset.UTC;
            }
            if (z.charAt(0) == '+' || z.charAt(0) == '-') {
                if (z.length() >= 3 && isDigit(z.charAt(1)) && z.charAt(2) == ':') {
                    z = z.charAt(0) + "0" + z.substring(1);   // +h:mm, which Spark reads as +0h:mm
                }
                return ZoneOffset.of(z);
            }
            if (!Character.isLetter(z.charAt(0))) {
                return null;
            }
            return ZoneId.of(z, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Reads min..max digits at pos; -1 if there are fewer or more. */
    private static int digits(String s, int[] pos, int min, int max) {
        int start = pos[0];
        int value = 0;
        while (pos[0] < s.length() && isDigit(s.charAt(pos[0]))) {
            if (pos[0] - start >= max) {
                return -1;
            }
            value = value * 10 + (s.charAt(pos[0]) - '0');
            pos[0]++;
        }
        return pos[0] - start >= min ? value : -1;
    }

    /** Spark's UTF8String.trimAll: white space and ISO control characters at both ends. */
    private static String trimAll(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (Character.isWhitespace(s.charAt(start)) || Character.isISOControl(s.charAt(start)))) {
            start++;
        }
        while (end > start && (Character.isWhitespace(s.charAt(end - 1)) || Character.isISOControl(s.charAt(end - 1)))) {
            end--;
        }
        return s.substring(start, end);
    }
}
