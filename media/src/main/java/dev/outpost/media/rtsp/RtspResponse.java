package dev.outpost.media.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An RTSP response (RFC 2326 section 7) as the client sees it: status, headers (names compared
 * without case) and the body, if any (the SDP of a DESCRIBE).
 */
public record RtspResponse(int status, String reason, Map<String, List<String>> headers, byte[] body) {
    public RtspResponse {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public List<String> all(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The {@code CSeq} that ties this response to its request, or -1 when absent or not a number. */
    public int cseq() {
        try {
            return header("CSeq").map(String::trim).map(Integer::parseInt).orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RtspResponse[" + status + " " + reason + ", " + headers.keySet() + ", " + body.length + " body bytes]";
    }
}
