package dev.outpost.media.rtp;

import dev.outpost.media.h264.NalUnits;
import java.util.Arrays;

/**
 * The access unit an {@link H264Depacketizer} is putting together: its NAL units in AVCC form in one
 * growing array, never more than the byte and NAL-count limits (past them the unit is damaged and its
 * bytes let go), and what its NAL headers said (slices, references, IDR, parameter sets). Once damaged
 * it keeps no bytes but still notes headers, so the depacketizer can tell whether a reference was lost.
 */
final class AccessUnitAssembly {
    private static final int INITIAL_CAPACITY = 64 * 1024;
    /** A buffer grown past this for one large picture is given back afterwards. */
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    private final int maxBytes;
    private final int[] nalStarts;
    private byte[] data;
    private int length;
    private int nalCount;
    /** Offset of the length prefix of an FU-A NAL unit still being reassembled, or -1. */
    private int fragmentAt = -1;

    private boolean active;
    private long rtpTimestamp;
    private long pts90k;
    private long arrivalMicros;
    private boolean headUncertain;
    private boolean damaged;
    private boolean overLimit;
    private boolean sawSlice;
    private boolean sawReferenceSlice;
    private boolean idr;
    private boolean hasSps;
    private boolean hasPps;

    AccessUnitAssembly(int maxBytes, int maxNals) {
        this.maxBytes = maxBytes;
        this.nalStarts = new int[maxNals];
        this.data = new byte[Math.min(INITIAL_CAPACITY, maxBytes)];
    }

    /**
     * Begins a unit. {@code headUncertain}: packets were lost just before this one, so the unit may lack
     * its first NAL units; it is kept only if its first slice starts the picture (first_mb_in_slice 0).
     */
    void start(long rtpTimestamp, long pts90k, long arrivalMicros, boolean headUncertain) {
        this.active = true;
        this.rtpTimestamp = rtpTimestamp;
        this.pts90k = pts90k;
        this.arrivalMicros = arrivalMicros;
        this.headUncertain = headUncertain;
    }

    void reset() {
        active = false;
        length = 0;
        nalCount = 0;
        fragmentAt = -1;
        headUncertain = damaged = overLimit = false;
        sawSlice = sawReferenceSlice = idr = hasSps = hasPps = false;
        if (data.length > RETAINED_CAPACITY) {
            data = new byte[Math.min(INITIAL_CAPACITY, maxBytes)];
        }
    }

    /** Drops the bytes gathered so far and any to come; the unit will not be emitted. */
    void damage() {
        damaged = true;
        length = 0;
        nalCount = 0;
        fragmentAt = -1;
    }

    /** Appends the whole NAL unit {@code src[off, off + len)}, len at least 1. */
    void addNal(byte[] src, int off, int len) {
        note(src[off], len > 1 ? src[off + 1] & 0xFF : -1);
        if (damaged || !reserve(4 + len, true)) {
            return;
        }
        nalStarts[nalCount++] = length;
        writeLength(length, len);
        System.arraycopy(src, off, data, length + 4, len);
        length += 4 + len;
    }

    /** Opens an FU-A NAL unit with its reconstructed header and first fragment {@code src[off, off + len)}. */
    void startFragment(byte header, byte[] src, int off, int len) {
        note(header, len > 0 ? src[off] & 0xFF : -1);
        if (damaged || !reserve(5 + len, true)) {
            return;
        }
        fragmentAt = length;
        nalStarts[nalCount++] = length;
        data[length + 4] = header;
        System.arraycopy(src, off, data, length + 5, len);
        length += 5 + len;
    }

    void continueFragment(byte[] src, int off, int len) {
        if (damaged || !reserve(len, false)) {
            return;
        }
        System.arraycopy(src, off, data, length, len);
        length += len;
    }

    /** Closes the open fragment; the complete NAL unit is the last one of the unit. */
    void endFragment() {
        if (fragmentAt >= 0) {
            writeLength(fragmentAt, length - fragmentAt - 4);
            fragmentAt = -1;
        }
    }

    boolean fragmentOpen() {
        return fragmentAt >= 0;
    }

    /** nal_unit_type of the open fragment. */
    int fragmentType() {
        return NalUnits.type(data[fragmentAt + 4]);
    }

    /** A copy of the last complete NAL unit, without its length. */
    byte[] lastNal() {
        int start = nalStarts[nalCount - 1];
        return Arrays.copyOfRange(data, start + 4, length);
    }

    /**
     * The unit in AVCC form with the given parameter sets put where a decoder needs them (after a leading
     * access unit delimiter, the PPS after the SPS); null means the unit has its own.
     */
    byte[] toAvcc(byte[] sps, byte[] pps) {
        if (sps == null && pps == null) {
            return Arrays.copyOf(data, length);
        }
        int index;
        if (sps != null) {
            index = nalCount > 0 && type(0) == NalUnits.ACCESS_UNIT_DELIMITER ? 1 : 0;
        } else {
            index = 0;
            for (int i = 0; i < nalCount; i++) {
                if (type(i) == NalUnits.SPS) {
                    index = i + 1;
                }
            }
        }
        int at = index < nalCount ? nalStarts[index] : length;
        int inserted = (sps == null ? 0 : 4 + sps.length) + (pps == null ? 0 : 4 + pps.length);
        byte[] out = new byte[length + inserted];
        System.arraycopy(data, 0, out, 0, at);
        int to = at;
        for (byte[] nal : new byte[][] {sps, pps}) {
            if (nal != null) {
                out[to] = (byte) (nal.length >>> 24);
                out[to + 1] = (byte) (nal.length >>> 16);
                out[to + 2] = (byte) (nal.length >>> 8);
                out[to + 3] = (byte) nal.length;
                System.arraycopy(nal, 0, out, to + 4, nal.length);
                to += 4 + nal.length;
            }
        }
        System.arraycopy(data, at, out, to, length - at);
        return out;
    }

    boolean active() {
        return active;
    }

    long rtpTimestamp() {
        return rtpTimestamp;
    }

    long pts90k() {
        return pts90k;
    }

    long arrivalMicros() {
        return arrivalMicros;
    }

    boolean damaged() {
        return damaged;
    }

    /** Whether it was damaged by going past a limit. */
    boolean overLimit() {
        return overLimit;
    }

    boolean sawSlice() {
        return sawSlice;
    }

    /** Whether a slice with nal_ref_idc above 0 was seen: other pictures may depend on this one. */
    boolean sawReferenceSlice() {
        return sawReferenceSlice;
    }

    boolean idr() {
        return idr;
    }

    boolean hasSps() {
        return hasSps;
    }

    boolean hasPps() {
        return hasPps;
    }

    /**
     * Records what a NAL header says. {@code firstPayloadByte} is the byte after the header, -1 if unknown;
     * for the first slice of a unit whose head may be lost, its top bit is first_mb_in_slice == 0 (ue(v)
     * "1"), the proof that no earlier slice of the picture is missing.
     */
    private void note(byte header, int firstPayloadByte) {
        int type = NalUnits.type(header);
        if (NalUnits.isSlice(type)) {
            if (!sawSlice && headUncertain && (firstPayloadByte & 0x80) == 0) {
                damage(); // also when firstPayloadByte is -1: unknown is not proof
            }
            sawSlice = true;
            sawReferenceSlice |= NalUnits.refIdc(header) != 0 || type == NalUnits.IDR_SLICE;
            idr |= type == NalUnits.IDR_SLICE;
        }
        hasSps |= type == NalUnits.SPS;
        hasPps |= type == NalUnits.PPS;
    }

    /** Makes room for {@code bytes} more, for a new NAL unit or the open one, or damages the unit if past a limit. */
    private boolean reserve(int bytes, boolean newNal) {
        if ((long) length + bytes > maxBytes || newNal && nalCount == nalStarts.length) {
            overLimit = true;
            damage();
            return false;
        }
        if (length + bytes > data.length) {
            int capacity = (int) Math.min(maxBytes, Math.max((long) length + bytes, 2L * data.length));
            data = Arrays.copyOf(data, capacity);
        }
        return true;
    }

    private int type(int nal) {
        return NalUnits.type(data[nalStarts[nal] + 4]);
    }

    private void writeLength(int at, int value) {
        data[at] = (byte) (value >>> 24);
        data[at + 1] = (byte) (value >>> 16);
        data[at + 2] = (byte) (value >>> 8);
        data[at + 3] = (byte) value;
    }
}
