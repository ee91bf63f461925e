package dev.outpost.p2p.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 response read from a stream (RFC 9112): its status, headers (names lowercased) and body, which
 * arrives as the stream is read. The head is at most {@value #MAX_HEAD} bytes; a longer or malformed one is an
 * {@link IOException} that says what was wrong.
 */
public record Http1Response(int status, Map<String, String> headers, InputStream body) {
    static final int MAX_HEAD = 16 * 1024;

    /** The head of a GET for {@code target} with a bearer token; the response is the only one on the stream. */
    public static byte[] getRequest(String target, String bearer) {
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("target: '" + target + "' is not an absolute path without spaces");
        }
        if (bearer.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("the grant holds characters a header cannot carry");
        }
        String head = "GET " + target + " HTTP/1.1\r\nHost: recorder\r\nAuthorization: Bearer " + bearer
                + "\r\nUser-Agent: outpost-client/0.1 (p2p)\r\n\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the head from {@code in}; the body is what follows, decoded. */
    public static Http1Response read(InputStream in) throws IOException {
        List<String> lines = HeadReader.lines(in, MAX_HEAD);
        String statusLine = lines.getFirst();
        // RFC 9112 section 4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
        if (!statusLine.matches("HTTP/1\\.[01] [1-5][0-9]{2}( .*)?")) {
            throw new IOException("not an HTTP/1.1 status line: '" + clip(statusLine) + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: '" + clip(line) + "'");
            }
            headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        InputStream body;
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (encoding.endsWith("chunked")) {
            body = new ChunkedInputStream(in);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("content-length: '" + clip(headers.get("content-length")) + "' is not a number");
            }
            if (length < 0) {
                throw new IOException("content-length: negative");
            }
            body = new BoundedInputStream(in, length);
        } else {
            body = in;
        }
        return new Http1Response(status, Map.copyOf(headers), body);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
