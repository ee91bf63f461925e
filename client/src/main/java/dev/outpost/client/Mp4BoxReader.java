package dev.outpost.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a fragmented MP4 byte stream (ISO/IEC 14496-12 section 4.2: each top-level box starts with a 32-bit size
 * and a 4-character type; size 1 means a 64-bit size follows, size 0 means "to the end") in pieces of at most
 * {@code maxPiece} bytes, and says which piece ends an {@code mdat} box: after it, a fragment is complete and
 * another stream's init segment may follow without breaking the picture. A stream that is not MP4 is read as
 * plain pieces that never end a fragment.
 */
final class Mp4BoxReader {
    /** One piece of the stream; {@code fragmentEnd} when it ends an {@code mdat} box. */
    record Piece(byte[] bytes, int length, boolean fragmentEnd) {
    }

    private final InputStream in;
    private final int maxPiece;
    private final boolean boxed;
    /** Bytes left in the current box; -1 before a box header. */
    private long remaining = -1;
    private boolean mdat;
    private boolean toEnd;

    Mp4BoxReader(InputStream in, int maxPiece, boolean boxed) {
        this.in = in;
        this.maxPiece = maxPiece;
        this.boxed = boxed;
    }

    /** The next piece, or null at the end of the stream. */
    Piece next() throws IOException {
        if (!boxed || toEnd) {
            byte[] buffer = new byte[maxPiece];
            int n = in.read(buffer);
            return n < 0 ? null : new Piece(buffer, n, false);
        }
        if (remaining <= 0) {
            byte[] header = new byte[16];
            int first = in.readNBytes(header, 0, 8);
            if (first == 0) {
                return null;
            }
            if (first < 8) {
                throw new EOFException("the stream ended inside an MP4 box header");
            }
            long size = ((header[0] & 0xffL) << 24) | ((header[1] & 0xffL) << 16) | ((header[2] & 0xffL) << 8)
                    | (header[3] & 0xffL);
            mdat = header[4] == 'm' && header[5] == 'd' && header[6] == 'a' && header[7] == 't';
            int headerLength = 8;
            if (size == 1) {
                if (in.readNBytes(header, 8, 8) < 8) {
                    throw new EOFException("the stream ended inside an MP4 box's 64-bit size");
                }
                size = 0;
                for (int i = 8; i < 16; i++) {
                    size = (size << 8) | (header[i] & 0xffL);
                }
                headerLength = 16;
            } else if (size == 0) {
                toEnd = true; // the last box runs to the end of the stream: no more boundaries
                return new Piece(java.util.Arrays.copyOf(header, 8), 8, false);
            }
            if (size < headerLength) {
                throw new IOException("malformed MP4 box: size " + size + " is smaller than its header");
            }
            remaining = size - headerLength;
            if (remaining == 0) {
                remaining = -1;
                return new Piece(java.util.Arrays.copyOf(header, headerLength), headerLength, mdat);
            }
            return new Piece(java.util.Arrays.copyOf(header, headerLength), headerLength, false);
        }
        byte[] buffer = new byte[(int) Math.min(maxPiece, remaining)];
        int n = in.read(buffer);
        if (n < 0) {
            throw new EOFException("the stream ended inside an MP4 box");
        }
        remaining -= n;
        boolean ended = remaining == 0;
        if (ended) {
            remaining = -1;
        }
        return new Piece(buffer, n, ended && mdat);
    }
}
