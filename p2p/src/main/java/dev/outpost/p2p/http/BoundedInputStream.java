package dev.outpost.p2p.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The first {@code length} bytes of a stream: a body with a {@code Content-Length}. */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(into, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("the stream ended " + remaining + " bytes before the body's end");
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
