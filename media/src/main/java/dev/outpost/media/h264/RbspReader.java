package dev.outpost.media.h264;

/**
 * Reads the fixed-length and Exp-Golomb fields of an RBSP (ITU-T H.264 sections 7.2 and 9.1), one
 * named field at a time, so a malformed input fails with the field's name and bit offset. Never reads
 * past the end; never returns a value outside the range the caller allows.
 */
final class RbspReader {
    private final String structure;
    private final byte[] rbsp;
    private final long bitLength;
    private long position;

    /** Reads {@code rbsp} from its first bit; {@code structure} names it in errors ("SPS"). */
    RbspReader(String structure, byte[] rbsp) {
        this.structure = structure;
        this.rbsp = rbsp;
        this.bitLength = rbsp.length * 8L;
    }

    long position() {
        return position;
    }

    boolean flag(String field) {
        return bits(1, field) == 1;
    }

    /** u(n) with n from 1 to 32. */
    long bits(int count, String field) {
        if (bitLength - position < count) {
            throw truncated(field);
        }
        long value = 0;
        for (int i = 0; i < count; i++) {
            int bit = (rbsp[(int) (position >>> 3)] >>> (7 - (int) (position & 7))) & 1;
            value = (value << 1) | bit;
            position++;
        }
        return value;
    }

    /** u(n) as an int, for n up to 16. */
    int u(int count, String field) {
        return (int) bits(count, field);
    }

    /** ue(v) (section 9.1), which must lie in {@code [0, max]}. */
    int ue(String field, int max) {
        long start = position;
        long value = unsignedExpGolomb(field);
        if (value > max) {
            throw outOfRange(field, value, 0, max, start);
        }
        return (int) value;
    }

    /** se(v) (section 9.1.1), which must lie in {@code [min, max]}. */
    int se(String field, int min, int max) {
        long start = position;
        long code = unsignedExpGolomb(field);
        long value = (code & 1) == 1 ? (code + 1) / 2 : -(code / 2);
        if (value < min || value > max) {
            throw outOfRange(field, value, min, max, start);
        }
        return (int) value;
    }

    private long unsignedExpGolomb(String field) {
        long start = position;
        int leadingZeros = 0;
        while (bits(1, field) == 0) {
            leadingZeros++;
            if (leadingZeros > 31) {
                throw new H264FormatException(structure + " field " + field + " at bit " + start
                        + " is an Exp-Golomb code longer than 32 bits");
            }
        }
        return (1L << leadingZeros) - 1 + (leadingZeros == 0 ? 0 : bits(leadingZeros, field));
    }

    private H264FormatException truncated(String field) {
        return new H264FormatException(structure + " ends at bit " + bitLength + " while reading " + field
                + " at bit " + position);
    }

    private H264FormatException outOfRange(String field, long value, int min, int max, long at) {
        return new H264FormatException(structure + " field " + field + " at bit " + at + " is " + value
                + ", outside " + min + ".." + max);
    }
}
