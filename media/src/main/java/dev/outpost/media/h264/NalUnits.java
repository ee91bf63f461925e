package dev.outpost.media.h264;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * NAL unit headers and the two ways H.264 streams frame NAL units: Annex B start codes (what files
 * and encoders give) and AVCC 4-byte big-endian lengths (what {@link AccessUnit} and MP4 hold).
 * Every method copies; none keeps or modifies its input.
 */
public final class NalUnits {
    /** ITU-T H.264 table 7-1 and RFC 6184 section 5.2: the NAL unit types Outpost looks at. */
    public static final int NON_IDR_SLICE = 1;
    public static final int IDR_SLICE = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int ACCESS_UNIT_DELIMITER = 9;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    private NalUnits() {
    }

    /** nal_unit_type, the low 5 bits of the header byte. */
    public static int type(byte header) {
        return header & 0x1F;
    }

    /** nal_unit_type of a NAL unit given with its header byte. */
    public static int type(byte[] nal) {
        if (nal.length == 0) {
            throw new H264FormatException("empty NAL unit has no header byte");
        }
        return type(nal[0]);
    }

    /** nal_ref_idc, 0 when no other picture refers to this one. */
    public static int refIdc(byte header) {
        return (header >> 5) & 0x3;
    }

    /** Whether the type is a coded slice (VCL NAL unit, types 1 to 5). */
    public static boolean isSlice(int type) {
        return type >= NON_IDR_SLICE && type <= IDR_SLICE;
    }

    /**
     * Splits an Annex B byte stream at its start codes (00 00 01 and 00 00 00 01). Zero bytes before the
     * first start code and trailing zero bytes of each NAL unit (trailing_zero_8bits, the leading zero of
     * a 4-byte start code) are dropped; empty NAL units are skipped.
     *
     * @throws H264FormatException if non-zero bytes come before the first start code
     */
    public static List<byte[]> splitAnnexB(byte[] stream) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1; // first byte of the current NAL unit, -1 before the first start code
        int i = 0;
        while (i + 2 < stream.length) {
            if ((stream[i + 2] & 0xFF) > 1) {
                i += 3; // no start code can cover stream[i + 2]
            } else if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                if (start < 0) {
                    requireZeros(stream, i);
                } else {
                    addTrimmed(nals, stream, start, i);
                }
                start = i + 3;
                i = start;
            } else {
                i++;
            }
        }
        if (start < 0) {
            requireZeros(stream, stream.length);
        } else {
            addTrimmed(nals, stream, start, stream.length);
        }
        return nals;
    }

    /** Annex B to AVCC: start codes replaced by 4-byte lengths. */
    public static byte[] annexBToAvcc(byte[] stream) {
        return toAvcc(splitAnnexB(stream));
    }

    /** AVCC to Annex B with 4-byte start codes. */
    public static byte[] avccToAnnexB(byte[] avcc) {
        List<byte[]> nals = splitAvcc(avcc);
        ByteArrayOutputStream out = new ByteArrayOutputStream(avcc.length);
        for (byte[] nal : nals) {
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(1);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /**
     * Splits length-prefixed NAL units.
     *
     * @throws H264FormatException naming the offset of a truncated length, an empty NAL unit, or a
     *                             length past the end
     */
    public static List<byte[]> splitAvcc(byte[] avcc) {
        List<byte[]> nals = new ArrayList<>();
        int at = 0;
        while (at < avcc.length) {
            if (avcc.length - at < 4) {
                throw new H264FormatException("AVCC length at offset " + at + " is truncated: "
                        + (avcc.length - at) + " of 4 bytes");
            }
            long length = ((avcc[at] & 0xFFL) << 24) | ((avcc[at + 1] & 0xFF) << 16)
                    | ((avcc[at + 2] & 0xFF) << 8) | (avcc[at + 3] & 0xFF);
            if (length == 0) {
                throw new H264FormatException("AVCC NAL unit at offset " + at + " is empty");
            }
            if (length > avcc.length - at - 4) {
                throw new H264FormatException("AVCC NAL unit at offset " + at + " declares " + length
                        + " bytes, only " + (avcc.length - at - 4) + " remain");
            }
            int from = at + 4;
            at = from + (int) length;
            nals.add(Arrays.copyOfRange(avcc, from, at));
        }
        return nals;
    }

    /** Joins NAL units (without start codes) into AVCC form. */
    public static byte[] toAvcc(List<byte[]> nals) {
        long total = 0;
        for (byte[] nal : nals) {
            if (Objects.requireNonNull(nal, "nal").length == 0) {
                throw new IllegalArgumentException("an empty NAL unit cannot be framed");
            }
            total += 4L + nal.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("NAL units too large for one array: " + total + " bytes");
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (byte[] nal : nals) {
            out[at] = (byte) (nal.length >>> 24);
            out[at + 1] = (byte) (nal.length >>> 16);
            out[at + 2] = (byte) (nal.length >>> 8);
            out[at + 3] = (byte) nal.length;
            System.arraycopy(nal, 0, out, at + 4, nal.length);
            at += 4 + nal.length;
        }
        return out;
    }

    /**
     * The RBSP of {@code nal[from, to)}: every emulation prevention byte (the 03 of 00 00 03, H.264
     * section 7.4.1) removed, so bit readers see the syntax the encoder wrote.
     */
    public static byte[] removeEmulationPrevention(byte[] nal, int from, int to) {
        Objects.checkFromToIndex(from, to, nal.length);
        byte[] out = new byte[to - from];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The reverse of {@link #removeEmulationPrevention}: inserts 03 wherever 00 00 is followed by 00 to 03. */
    public static byte[] addEmulationPrevention(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + rbsp.length / 64 + 1);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    private static void requireZeros(byte[] stream, int end) {
        for (int i = 0; i < end; i++) {
            if (stream[i] != 0) {
                throw new H264FormatException("Annex B stream has data before its first start code, at offset " + i);
            }
        }
    }

    private static void addTrimmed(List<byte[]> nals, byte[] stream, int from, int to) {
        while (to > from && stream[to - 1] == 0) {
            to--;
        }
        if (to > from) {
            nals.add(Arrays.copyOfRange(stream, from, to));
        }
    }
}
