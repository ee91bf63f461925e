package dev.outpost.p2p.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads CRLF-terminated lines up to an empty one, at most a given number of bytes in all. */
final class HeadReader {
    private HeadReader() {
    }

    /** The lines before the empty line; at least one. */
    static List<String> lines(InputStream in, int limit) throws IOException {
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (true) {
            String line = line(in, limit - total);
            total += line.length() + 2;
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    throw new IOException("empty head");
                }
                return lines;
            }
            lines.add(line);
        }
    }

    /** One line without its CRLF, at most {@code limit} bytes with it. */
    static String line(InputStream in, int limit) throws IOException {
        byte[] buffer = new byte[Math.max(0, Math.min(limit, 8192))];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the stream ended inside a head line");
            }
            if (b == '\n') {
                if (length == 0 || buffer[length - 1] != '\r') {
                    throw new IOException("a line ends with LF without CR at byte " + length);
                }
                return new String(buffer, 0, length - 1, StandardCharsets.ISO_8859_1);
            }
            if (length == buffer.length) {
                throw new IOException("head line longer than " + buffer.length + " bytes");
            }
            buffer[length++] = (byte) b;
        }
    }
}
