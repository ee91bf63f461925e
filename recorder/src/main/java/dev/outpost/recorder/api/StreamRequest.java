package dev.outpost.recorder.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The query of {@code GET /api/stream}, checked: {@code rate} bytes per second (0 = as fast as the
 * channel takes them), {@code chunk} bytes per HTTP content, and an optional {@code limit} of bytes
 * after which the response ends. Every value is bounded so a request cannot ask for a buffer or a
 * timer the recorder should not give.
 */
record StreamRequest(long rate, int chunk, OptionalLong limit) {
    static final long DEFAULT_RATE = 1_000_000;
    static final int DEFAULT_CHUNK = 16 * 1024;
    static final long MAX_RATE = 10_000_000_000L;
    static final int MAX_CHUNK = 1024 * 1024;

    static StreamRequest parse(Map<String, List<String>> query) throws ApiRefusal {
        long rate = number(query, "rate", DEFAULT_RATE, 0, MAX_RATE, "bytes per second (0 = unpaced)");
        int chunk = (int) number(query, "chunk", DEFAULT_CHUNK, 1, MAX_CHUNK, "bytes");
        OptionalLong limit = query.containsKey("limit")
                ? OptionalLong.of(number(query, "limit", 0, 0, Long.MAX_VALUE, "bytes"))
                : OptionalLong.empty();
        return new StreamRequest(rate, chunk, limit);
    }

    private static long number(Map<String, List<String>> query, String name, long fallback, long min, long max,
                               String unit) throws ApiRefusal {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1) {
            throw ApiRefusal.badParameter(name + " is given " + values.size() + " times; give it once");
        }
        String text = values.getFirst();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiRefusal.badParameter(name + " must be a whole number of " + unit + " from " + min + " to " + max
                    + ", not '" + shorten(text) + "'");
        }
        if (value < min || value > max) {
            throw ApiRefusal.badParameter(name + " must be from " + min + " to " + max + " " + unit + ", not " + value);
        }
        return value;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
