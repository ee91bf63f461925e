package dev.outpost.cloud.clips;

import dev.outpost.cloud.ApiFailure;
import java.util.Optional;

/**
 * One byte range of a {@code Range} header (RFC 9110 section 14.1.2): {@code bytes=a-b}, {@code bytes=a-} or the
 * suffix {@code bytes=-n}, resolved against the body's length. Several ranges are not served (RFC 9110 allows a
 * server to ignore {@code Range}): the first is taken, as browsers' video elements ask one at a time.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ClipRange(long first, long last) {
    /** Bounded: a header longer than this is not a range a player sends. */
    static final int MAX_HEADER = 200;

    long length() {
        return last - first + 1;
    }

    /**
     * The range a {@code Range} header asks of a body of {@code size} bytes; empty for no header or one that is not
     * in bytes (answered whole, as RFC 9110 says).
     *
     * @throws ApiFailure 416 {@code bad-range} for a range that starts past the end
     */
    static Optional<ClipRange> parse(String header, long size) {
        if (header == null || header.length() > MAX_HEADER || !header.startsWith("bytes=")) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).split(",", 2)[0].strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String from = spec.substring(0, dash).strip();
            String to = spec.substring(dash + 1).strip();
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to);
                if (suffix <= 0) {
                    throw unsatisfiable(header, size);
                }
                return Optional.of(new ClipRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
            if (first >= size || last < first) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ClipRange(first, last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ApiFailure unsatisfiable(String header, long size) {
        return new ApiFailure(416, "bad-range", "Range " + header + " is outside the clip's " + size + " bytes");
    }
}
