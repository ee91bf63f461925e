package dev.outpost.media.rtsp;

import java.util.LinkedHashMap;
import java.util.Map;

/** An RTSP request the client sends (RFC 2326 section 6); the encoder adds {@code CSeq} and agent. */
public record RtspRequest(String method, String uri, Map<String, String> headers) {
    public RtspRequest {
        if (method.isEmpty() || method.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("bad RTSP method: " + method);
        }
        if (uri.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("an RTSP URI cannot hold spaces or control characters");
        }
        headers.forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("header " + name + " would break the request");
            }
        });
        headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    public RtspRequest with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RtspRequest(method, uri, more);
    }
}
