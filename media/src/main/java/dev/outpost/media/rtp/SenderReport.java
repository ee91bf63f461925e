package dev.outpost.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The sender information of an RTCP sender report (RFC 3550 section 6.4.1): which RTP timestamp the sender's
 * clock read at which wall-clock (NTP) time, and how much it had sent. That pair is what lets a receiver turn RTP
 * timestamps into capture times on the sender's clock. Reception report blocks and profile extensions are skipped
 * when parsing (Outpost sends nothing they would report on) and never written.
 *
 * @param ssrc         the sender's synchronization source, 0 to 2^32 - 1
 * @param ntpTimestamp 64-bit NTP timestamp (RFC 5905 section 6): seconds since 1900 in the high word, fraction
 *                     in the low word; unsigned, held in a long's 64 bits
 * @param rtpTimestamp the RTP timestamp that corresponds to the same instant, 0 to 2^32 - 1
 * @param packetCount  RTP data packets sent since the session started (wraps), 0 to 2^32 - 1
 * @param octetCount   payload octets sent since the session started (wraps), 0 to 2^32 - 1
 */
public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
    /** RFC 3550 section 12.1. */
    public static final int PACKET_TYPE = 200;
    /** Header, SSRC and sender information, without report blocks: 7 32-bit words. */
    public static final int LENGTH = 28;
    /** One reception report block (RFC 3550 section 6.4.1). */
    static final int REPORT_BLOCK_LENGTH = 24;
    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    public SenderReport {
        requireUnsigned32("SSRC", ssrc);
        requireUnsigned32("RTP timestamp", rtpTimestamp);
        requireUnsigned32("packet count", packetCount);
        requireUnsigned32("octet count", octetCount);
    }

    /**
     * The NTP timestamp as microseconds since the Unix epoch. RFC 4330 section 3: a seconds field whose top bit is
     * clear is in NTP era 1, which began on 2036-02-07; times from 1968 to 2036 have it set.
     */
    public long unixMicros() {
        long seconds = ntpTimestamp >>> 32;
        long fraction = ntpTimestamp & 0xFFFF_FFFFL;
        long era = (seconds & 0x8000_0000L) == 0 ? 1L << 32 : 0;
        return (seconds + era - NTP_UNIX_OFFSET_SECONDS) * 1_000_000 + (fraction * 1_000_000 >>> 32);
    }

    /** The NTP timestamp of {@code unixMicros}; {@link #unixMicros()} gives it back exactly. */
    public static long ntpTimestamp(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000) + NTP_UNIX_OFFSET_SECONDS;
        long micros = Math.floorMod(unixMicros, 1_000_000);
        long fraction = ((micros << 32) + 999_999) / 1_000_000; // rounded up, so that converting back floors to micros
        return (seconds & 0xFFFF_FFFFL) << 32 | fraction;
    }

    /**
     * Parses one SR packet: {@code length} bytes from {@code offset} of {@code buf}, padding already removed. The
     * header's version and length were checked by {@link RtcpCompound}; this checks that the report blocks the
     * header counts fit. Absolute reads: the buffer's indexes do not move.
     *
     * @param at where the packet starts in the compound, for error offsets
     * @throws RtcpFormatException if the packet is shorter than its sender information and report blocks
     */
    static SenderReport parse(ByteBuf buf, int offset, int length, int at) {
        int blocks = buf.getUnsignedByte(offset) & 0x1F;
        int needed = LENGTH + REPORT_BLOCK_LENGTH * blocks;
        if (length < needed) {
            throw new RtcpFormatException("sender report with " + blocks + " report blocks needs " + needed
                    + " bytes, its length field gives " + length, at + 2);
        }
        return new SenderReport(buf.getUnsignedInt(offset + 4), buf.getLong(offset + 8), buf.getUnsignedInt(offset + 16),
                buf.getUnsignedInt(offset + 20), buf.getUnsignedInt(offset + 24));
    }

    /** A new buffer holding this report as an SR packet without report blocks; the caller owns it. */
    public ByteBuf write(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(LENGTH, LENGTH);
        out.writeByte(RtpPacket.VERSION << 6); // no padding, report count 0
        out.writeByte(PACKET_TYPE);
        out.writeShort(LENGTH / 4 - 1); // RFC 3550 section 6.4.1: 32-bit words minus one
        out.writeInt((int) ssrc);
        out.writeLong(ntpTimestamp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
        return out;
    }

    private static void requireUnsigned32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0..2^32-1");
        }
    }
}
