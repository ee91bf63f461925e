package dev.outpost.system;

import java.io.IOException;
import java.io.InputStream;

/** The recorder's test stream carries byte i = i mod 251; these read and check it. */
final class Streams {
    private Streams() {
    }

    /** Reads {@code n} bytes and returns the offset of the first byte off the pattern, or -1. */
    static long readPattern(InputStream in, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        while (offset < n) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n - offset));
            if (read < 0) {
                throw new IOException("stream ended after " + offset + " of " + n + " bytes");
            }
            for (int i = 0; i < read; i++) {
                if (buffer[i] != (byte) ((offset + i) % 251)) {
                    return offset + i;
                }
            }
            offset += read;
        }
        return -1;
    }

    /** An upload body of {@code n} pseudo-random bytes, the same for the same seed. */
    static InputStream generated(long n, long seed) {
        return new InputStream() {
            private long left = n;
            private long state = seed;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                state = state * 6364136223846793005L + 1442695040888963407L;
                return (int) (state >>> 56) & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int count = (int) Math.min(len, left);
                for (int i = 0; i < count; i++) {
                    b[off + i] = (byte) read();
                }
                return count;
            }
        };
    }

    static byte[] sha256(InputStream in) throws IOException {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
