package dev.outpost.media.mp4;

import java.util.Arrays;

/**
 * Reads big-endian fields of one box's payload and never past its end: every read checks what is left first, so a
 * lying count or length fails with a {@link Mp4FormatException} that names the box and the offset instead of an
 * index error or a huge allocation.
 */
final class ByteCursor {
    private final byte[] data;
    private final String boxType;
    private int pos;
    private final int limit;

    ByteCursor(byte[] data, Box box) {
        this(data, box.type(), (int) box.contentOffset(), (int) box.end());
    }

    ByteCursor(byte[] data, String boxType, int from, int to) {
        this.data = data;
        this.boxType = boxType;
        this.pos = from;
        this.limit = to;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = (data[pos] & 0xFF) << 8 | data[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    int u24() {
        need(3);
        int v = (data[pos] & 0xFF) << 16 | (data[pos + 1] & 0xFF) << 8 | data[pos + 2] & 0xFF;
        pos += 3;
        return v;
    }

    long u32() {
        return i32() & 0xFFFF_FFFFL;
    }

    int i32() {
        need(4);
        int v = BoxReader.int32(data, pos);
        pos += 4;
        return v;
    }

    /** A 64-bit unsigned field; values past {@link Long#MAX_VALUE} are refused rather than turned negative. */
    long u64(String field) {
        int at = pos;
        long v = (long) i32() << 32 | u32();
        if (v < 0) {
            throw error(at, field + " " + Long.toUnsignedString(v) + " is out of range");
        }
        return v;
    }

    /** A 32-bit unsigned field that must fit a Java int, for sizes and counts. */
    int u31(String field) {
        int at = pos;
        long v = u32();
        if (v > Integer.MAX_VALUE) {
            throw error(at, field + " " + v + " is out of range");
        }
        return (int) v;
    }

    String fourcc() {
        need(4);
        String s = BoxReader.fourcc(data, pos);
        pos += 4;
        return s;
    }

    byte[] bytes(int n, String field) {
        if (n < 0 || n > remaining()) {
            throw error(pos, field + " of " + n + " bytes runs past the end of the box (" + remaining() + " left)");
        }
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    Mp4FormatException error(long at, String message) {
        return new Mp4FormatException(at, BoxReader.describe(boxType) + " box: " + message);
    }

    private void need(int n) {
        if (n > remaining()) {
            throw error(pos, "needs " + n + " more bytes, has " + remaining());
        }
    }
}
