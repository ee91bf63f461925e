package dev.outpost.media.rtp;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts access units into RTP packets (RFC 6184, packetization mode 1): a NAL unit that fits goes whole
 * (section 5.6), a larger one in FU-A fragments (section 5.8), and, if asked, runs of small ones share a
 * STAP-A (section 5.7.1). All packets of a unit carry its timestamp ({@code pts90k} modulo 2^32); the
 * last carries the marker bit. One per stream; not thread-safe.
 */
public final class H264Packetizer {
    /** Room for the fixed header and a fragment of at least one byte. */
    public static final int MIN_PACKET_SIZE = RtpPacket.HEADER_LENGTH + 3;

    private final int payloadType;
    private final long ssrc;
    private final int maxPayload;
    private final boolean aggregate;
    private int sequence;

    /**
     * @param maxPacketSize  the largest RTP packet to make, header included (UDP and IP headers not):
     *                       1400 leaves room on most paths
     * @param firstSequence  sequence number of the first packet (RFC 3550 wants it random)
     * @param aggregate      whether to put runs of small NAL units in STAP-A packets
     */
    public H264Packetizer(int payloadType, long ssrc, int maxPacketSize, int firstSequence, boolean aggregate) {
        if (maxPacketSize < MIN_PACKET_SIZE || maxPacketSize > RtpPacket.MAX_LENGTH) {
            throw new IllegalArgumentException("maxPacketSize " + maxPacketSize + " is outside " + MIN_PACKET_SIZE
                    + ".." + RtpPacket.MAX_LENGTH);
        }
        // Checks the other arguments the way a packet would.
        new RtpPacket(false, payloadType, firstSequence, 0, ssrc, new byte[0]);
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.maxPayload = maxPacketSize - RtpPacket.HEADER_LENGTH;
        this.aggregate = aggregate;
        this.sequence = firstSequence;
    }

    /** Sequence number the next packet will carry. */
    public int nextSequence() {
        return sequence;
    }

    /**
     * The packets for one access unit, in sending order.
     *
     * @throws dev.outpost.media.h264.H264FormatException if its AVCC bytes are malformed
     */
    public List<RtpPacket> packetize(AccessUnit unit) {
        long timestamp = unit.pts90k() & 0xFFFF_FFFFL;
        List<byte[]> nals = NalUnits.splitAvcc(unit.avcc());
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < nals.size(); ) {
            int run = aggregate ? aggregatable(nals, i) : 1;
            if (run > 1) {
                payloads.add(stapA(nals.subList(i, i + run)));
                i += run;
                continue;
            }
            byte[] nal = nals.get(i++);
            if (nal.length <= maxPayload) {
                payloads.add(nal);
            } else {
                fuA(nal, payloads);
            }
        }
        List<RtpPacket> packets = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            packets.add(new RtpPacket(i == payloads.size() - 1, payloadType, sequence, timestamp, ssrc,
                    payloads.get(i)));
            sequence = (sequence + 1) & 0xFFFF;
        }
        return packets;
    }

    /** How many NAL units from {@code from} fit in one STAP-A: a header byte, then a size and each unit. */
    private int aggregatable(List<byte[]> nals, int from) {
        int size = 1;
        int count = 0;
        for (int i = from; i < nals.size(); i++) {
            size += 2 + nals.get(i).length;
            if (size > maxPayload) {
                break;
            }
            count++;
        }
        return count;
    }

    // RFC 6184 section 5.7.1: F is the OR and NRI the maximum of the aggregated units'.
    private static byte[] stapA(List<byte[]> nals) {
        int size = 1;
        int forbidden = 0;
        int nri = 0;
        for (byte[] nal : nals) {
            size += 2 + nal.length;
            forbidden |= nal[0] & 0x80;
            nri = Math.max(nri, nal[0] & 0x60);
        }
        byte[] out = new byte[size];
        out[0] = (byte) (forbidden | nri | NalUnits.STAP_A);
        int at = 1;
        for (byte[] nal : nals) {
            out[at] = (byte) (nal.length >>> 8);
            out[at + 1] = (byte) nal.length;
            System.arraycopy(nal, 0, out, at + 2, nal.length);
            at += 2 + nal.length;
        }
        return out;
    }

    // RFC 6184 section 5.8: the NAL header is split between the FU indicator (F, NRI) and FU header (type).
    private void fuA(byte[] nal, List<byte[]> payloads) {
        byte indicator = (byte) ((nal[0] & 0xE0) | NalUnits.FU_A);
        int type = NalUnits.type(nal[0]);
        int chunk = maxPayload - 2;
        for (int at = 1; at < nal.length; at += chunk) {
            int length = Math.min(chunk, nal.length - at);
            byte[] out = new byte[2 + length];
            out[0] = indicator;
            out[1] = (byte) ((at == 1 ? 0x80 : 0) | (at + length == nal.length ? 0x40 : 0) | type);
            System.arraycopy(nal, at, out, 2, length);
            payloads.add(out);
        }
    }
}
