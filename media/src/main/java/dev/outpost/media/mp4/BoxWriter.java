package dev.outpost.media.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes big-endian ISO BMFF boxes into a growing array: {@link #start} opens a box with a placeholder size,
 * {@link #end} closes the innermost open box and fills its size in, so nested boxes never need their sizes
 * computed ahead (ISO/IEC 14496-12 section 4.2). Sizes are 32-bit: a fragment or init segment is far below 4 GiB.
 */
final class BoxWriter {
    private static final int MAX_DEPTH = 16;

    private byte[] buf;
    private int length;
    private final int[] open = new int[MAX_DEPTH];
    private int depth;

    BoxWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    BoxWriter start(String type) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("boxes nested deeper than " + MAX_DEPTH);
        }
        open[depth++] = length;
        u32(0);
        return fourcc(type);
    }

    /** Opens a FullBox: a box whose payload starts with an 8-bit version and 24-bit flags (section 4.2). */
    BoxWriter startFull(String type, int version, int flags) {
        start(type);
        u8(version);
        return u24(flags);
    }

    BoxWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("no open box to end");
        }
        int at = open[--depth];
        putU32(at, length - at);
        return this;
    }

    int position() {
        return length;
    }

    BoxWriter u8(int v) {
        ensure(1);
        buf[length++] = (byte) v;
        return this;
    }

    BoxWriter u16(int v) {
        ensure(2);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
        return this;
    }

    BoxWriter u24(int v) {
        ensure(3);
        buf[length++] = (byte) (v >>> 16);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
        return this;
    }

    BoxWriter u32(long v) {
        ensure(4);
        putU32(length, v);
        length += 4;
        return this;
    }

    BoxWriter u64(long v) {
        u32(v >>> 32);
        return u32(v);
    }

    BoxWriter fourcc(String type) {
        byte[] ascii = type.getBytes(StandardCharsets.ISO_8859_1);
        if (ascii.length != 4) {
            throw new IllegalArgumentException("a box type has 4 characters, not '" + type + "'");
        }
        return bytes(ascii);
    }

    BoxWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, length, b.length);
        length += b.length;
        return this;
    }

    BoxWriter zeros(int n) {
        ensure(n);
        length += n; // the array is zero-filled and never rewound
        return this;
    }

    /** Overwrites 4 bytes already written, for a field known only later (a {@code trun} data offset). */
    void putU32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " boxes still open");
        }
        return buf.length == length ? buf : Arrays.copyOf(buf, length);
    }

    private void ensure(int more) {
        int needed = length + more;
        if (needed < 0 || needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("MP4 output past 2 GiB");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * buf.length)));
        }
    }
}
