package dev.outpost.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RTP data packet (RFC 3550 section 5.1), version 2, as a value. Parsing skips a header extension
 * and strips padding; writing emits neither, so a packet round-trips through {@link #write} and
 * {@link #parse} as this value, not as the bytes a sender chose.
 *
 * <p>The payload is a plain array that the packet owns and nobody modifies (it is not copied, so that a
 * parsed packet costs one copy of its bytes): there is no reference count to manage, and a packet may
 * outlive the buffer it was parsed from.
 *
 * @param marker      the M bit; for H.264 it marks the last packet of an access unit
 * @param payloadType 0 to 127
 * @param sequence    0 to 65535
 * @param timestamp   0 to 2^32 - 1, in the payload's clock
 * @param ssrc        synchronization source, 0 to 2^32 - 1
 * @param csrcs       contributing sources (at most 15), each 0 to 2^32 - 1
 * @param payload     the bytes after header, CSRCs and extension, without padding
 */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, List<Long> csrcs,
                        byte[] payload) {
    public static final int VERSION = 2;
    /** The fixed header, without CSRCs or extension. */
    public static final int HEADER_LENGTH = 12;
    /** The most an RTP packet can be: a UDP datagram or an RTSP interleaved frame (RFC 2326 section 10.12). */
    public static final int MAX_LENGTH = 65_535;
    private static final int MAX_CSRCS = 15;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0..127");
        }
        if (sequence < 0 || sequence > 0xFFFF) {
            throw new IllegalArgumentException("sequence number " + sequence + " is outside 0..65535");
        }
        requireUnsigned32("timestamp", timestamp);
        requireUnsigned32("SSRC", ssrc);
        csrcs = List.copyOf(csrcs);
        if (csrcs.size() > MAX_CSRCS) {
            throw new IllegalArgumentException(csrcs.size() + " CSRCs, at most 15 fit in a header");
        }
        csrcs.forEach(csrc -> requireUnsigned32("CSRC", csrc));
        Objects.requireNonNull(payload, "payload");
        if (HEADER_LENGTH + 4L * csrcs.size() + payload.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a payload of " + payload.length + " bytes does not fit in an RTP packet");
        }
    }

    /** A packet without CSRCs. */
    public RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
        this(marker, payloadType, sequence, timestamp, ssrc, List.of(), payload);
    }

    /**
     * Parses the readable bytes of {@code buf} as one whole packet (one UDP datagram or one interleaved
     * frame). Reads with absolute gets: the buffer's indexes are not moved, and it is neither retained nor
     * released; the caller keeps ownership.
     *
     * @throws RtpFormatException if the bytes are not RTP version 2, or a length in the header (CSRC
     *                            count, extension length, padding count) points past the packet
     */
    public static RtpPacket parse(ByteBuf buf) {
        int base = buf.readerIndex();
        int length = buf.readableBytes();
        if (length > MAX_LENGTH) {
            throw new RtpFormatException("packet of " + length + " bytes is longer than the " + MAX_LENGTH
                    + " an RTP packet can be", MAX_LENGTH);
        }
        if (length < HEADER_LENGTH) {
            throw new RtpFormatException("packet of " + length + " bytes is shorter than the 12-byte RTP header",
                    length);
        }
        int first = buf.getUnsignedByte(base);
        int version = first >>> 6;
        if (version != VERSION) {
            throw new RtpFormatException("RTP version " + version + ", expected 2", 0);
        }
        boolean padding = (first & 0x20) != 0;
        boolean extension = (first & 0x10) != 0;
        int csrcCount = first & 0x0F;
        int second = buf.getUnsignedByte(base + 1);
        int at = HEADER_LENGTH;
        if (length - at < 4 * csrcCount) {
            throw new RtpFormatException(csrcCount + " CSRCs need " + 4 * csrcCount + " bytes, only "
                    + (length - at) + " remain", at);
        }
        List<Long> csrcs = List.of();
        if (csrcCount > 0) {
            List<Long> list = new ArrayList<>(csrcCount);
            for (int i = 0; i < csrcCount; i++, at += 4) {
                list.add(buf.getUnsignedInt(base + at));
            }
            csrcs = List.copyOf(list);
        }
        if (extension) { // section 5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the words
            if (length - at < 4) {
                throw new RtpFormatException("header extension needs a 4-byte header, only " + (length - at)
                        + " bytes remain", at);
            }
            int words = buf.getUnsignedShort(base + at + 2);
            if (length - at - 4 < 4 * words) {
                throw new RtpFormatException("header extension declares " + 4 * words + " bytes, only "
                        + (length - at - 4) + " remain", at + 2);
            }
            at += 4 + 4 * words;
        }
        int end = length;
        if (padding) { // section 5.1: the last octet counts the padding, itself included
            if (end == at) {
                throw new RtpFormatException("padding flag set but no byte follows the header", at);
            }
            int count = buf.getUnsignedByte(base + end - 1);
            if (count == 0) {
                throw new RtpFormatException("padding count 0, it must count itself", end - 1);
            }
            if (count > end - at) {
                throw new RtpFormatException("padding count " + count + " exceeds the " + (end - at)
                        + " bytes after the header", end - 1);
            }
            end -= count;
        }
        byte[] payload = new byte[end - at];
        buf.getBytes(base + at, payload);
        return new RtpPacket((second & 0x80) != 0, second & 0x7F, buf.getUnsignedShort(base + 2),
                buf.getUnsignedInt(base + 4), buf.getUnsignedInt(base + 8), csrcs, payload);
    }

    /** Parses a whole packet held in an array; see {@link #parse(ByteBuf)}. */
    public static RtpPacket parse(byte[] packet) {
        ByteBuf wrapped = Unpooled.wrappedBuffer(packet);
        try {
            return parse(wrapped);
        } finally {
            wrapped.release();
        }
    }

    /** Bytes this packet takes on the wire. */
    public int length() {
        return HEADER_LENGTH + 4 * csrcs.size() + payload.length;
    }

    /** A new buffer holding the packet; the caller owns it and must release it or hand it on. */
    public ByteBuf write(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(length(), length());
        try {
            out.writeByte(VERSION << 6 | csrcs.size());
            out.writeByte((marker ? 0x80 : 0) | payloadType);
            out.writeShort(sequence);
            out.writeInt((int) timestamp);
            out.writeInt((int) ssrc);
            for (long csrc : csrcs) {
                out.writeInt((int) csrc);
            }
            out.writeBytes(payload);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && marker == p.marker && payloadType == p.payloadType
                && sequence == p.sequence && timestamp == p.timestamp && ssrc == p.ssrc && csrcs.equals(p.csrcs)
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(marker, payloadType, sequence, timestamp, ssrc, csrcs, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "RtpPacket[marker=" + marker + ", payloadType=" + payloadType + ", sequence=" + sequence
                + ", timestamp=" + timestamp + ", ssrc=" + ssrc + ", csrcs=" + csrcs + ", payload="
                + payload.length + " bytes " + ByteBufUtil.hexDump(payload, 0, Math.min(payload.length, 16))
                + (payload.length > 16 ? "..." : "") + "]";
    }

    private static void requireUnsigned32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0..2^32-1");
        }
    }
}
