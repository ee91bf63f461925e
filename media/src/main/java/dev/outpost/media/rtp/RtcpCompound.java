package dev.outpost.media.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RTCP compound packet (RFC 3550 section 6.1): one UDP datagram or one interleaved frame holding RTCP
 * packets back to back. Every packet's header is checked (version 2, a length that stays inside the compound,
 * padding only on the last, RFC 3550 appendix A.2) and the lengths must add up to the whole; sender reports are
 * parsed and every other type (RR, SDES, BYE, APP, feedback) is skipped by its length.
 */
public final class RtcpCompound {
    /** RFC 3550 section 6.1: the common header of every RTCP packet. */
    static final int HEADER_LENGTH = 4;
    /** The most a compound packet can be: a UDP datagram or an RTSP interleaved frame. */
    public static final int MAX_LENGTH = 65_535;

    private RtcpCompound() {
    }

    /**
     * The sender reports in the readable bytes of {@code buf}, in order. Absolute reads: the buffer's indexes do
     * not move, and it is neither retained nor released.
     *
     * @throws RtcpFormatException if any packet is malformed or cut short, or bytes are left over
     */
    public static List<SenderReport> senderReports(ByteBuf buf) {
        int base = buf.readerIndex();
        int total = buf.readableBytes();
        if (total > MAX_LENGTH) {
            throw new RtcpFormatException("compound packet of " + total + " bytes is longer than the " + MAX_LENGTH
                    + " a datagram can be", MAX_LENGTH);
        }
        if (total == 0) {
            throw new RtcpFormatException("empty RTCP packet", 0);
        }
        List<SenderReport> reports = new ArrayList<>(1);
        int at = 0;
        while (at < total) {
            if (total - at < HEADER_LENGTH) {
                throw new RtcpFormatException((total - at) + " bytes left, too few for an RTCP header", at);
            }
            int first = buf.getUnsignedByte(base + at);
            int version = first >>> 6;
            if (version != RtpPacket.VERSION) {
                throw new RtcpFormatException("RTCP version " + version + ", expected 2", at);
            }
            boolean padded = (first & 0x20) != 0;
            int type = buf.getUnsignedByte(base + at + 1);
            int length = (buf.getUnsignedShort(base + at + 2) + 1) * 4; // 32-bit words minus one
            if (length > total - at) {
                throw new RtcpFormatException("RTCP packet of type " + type + " declares " + length + " bytes, only "
                        + (total - at) + " remain", at + 2);
            }
            int content = length;
            if (padded) { // appendix A.2: only the last packet of a compound may be padded
                if (at + length != total) {
                    throw new RtcpFormatException("padding on an RTCP packet that is not the last of its compound",
                            at);
                }
                int count = buf.getUnsignedByte(base + at + length - 1);
                if (count == 0 || count > length - HEADER_LENGTH) {
                    throw new RtcpFormatException("padding count " + count + " does not fit a packet of " + length
                            + " bytes", at + length - 1);
                }
                content -= count;
            }
            if (type == SenderReport.PACKET_TYPE) {
                reports.add(SenderReport.parse(buf, base + at, content, at));
            }
            at += length;
        }
        return reports;
    }
}
