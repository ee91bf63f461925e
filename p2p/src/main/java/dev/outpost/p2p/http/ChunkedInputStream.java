package dev.outpost.p2p.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A chunked body (RFC 9112 section 7.1) as the bytes it carries; extensions and trailers are read and dropped. */
final class ChunkedInputStream extends InputStream {
    private static final int MAX_LINE = 1024;
    private final InputStream in;
    private long remaining;
    private boolean ended;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                ended = true;
                while (!HeadReader.line(in, MAX_LINE).isEmpty()) {
                    // trailer fields: not used
                }
                return -1;
            }
        }
        int n = in.read(into, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("the stream ended inside a chunk");
        }
        remaining -= n;
        if (remaining == 0 && !HeadReader.line(in, MAX_LINE).isEmpty()) {
            throw new IOException("a chunk is not followed by CRLF");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HeadReader.line(in, MAX_LINE);
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.matches("[0-9A-Fa-f]+")) {
            throw new IOException("chunk size: '" + Http1Response.clip(line) + "' is not hex digits");
        }
        return Long.parseLong(hex, 16);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
