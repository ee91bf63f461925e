package dev.outpost.media.rtp;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.H264FormatException;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.StreamFormat;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the RTP packets of one H.264 stream (RFC 6184, packetization modes 0 and 1: single NAL unit,
 * STAP-A, FU-A) back into {@link AccessUnit}s, in arrival order. One per stream; {@link #push} and
 * {@link #flush} on one thread, {@link #stats}, {@link #streamFormat} and {@link #waitingForKeyframe}
 * from any.
 *
 * <p>It holds no {@code ByteBuf}s (packets carry arrays), so there is nothing to release. What it does
 * about damage, so that no unit it emits refers to a picture that was lost:
 * <ul>
 * <li>An access unit ends at a packet with the marker bit, or when the timestamp changes (for cameras
 *     that never set the marker).
 * <li>Lost packets (a sequence gap of up to {@value #MAX_DROPOUT}) damage the unit they fall in, which is
 *     dropped. If the gap lies inside one unit and every slice seen of it has nal_ref_idc 0, no other
 *     picture refers to the lost data and only that unit goes. Otherwise, and whenever a gap spans a unit
 *     boundary (whole units may be gone, and what they held is unknowable), it drops everything up to
 *     the next IDR. The unit right after such a gap is kept only if its first slice starts the picture
 *     (first_mb_in_slice 0), so a keyframe whose head arrived is not thrown away.
 * <li>A packet up to {@value #MAX_MISORDER} behind the expected sequence number is late or duplicated:
 *     counted and dropped (interleaved TCP cannot reorder, so this signals a broken sender). A larger jump,
 *     or a new SSRC, is a restarted sender: treated like a gap, and its timestamps continue one picture
 *     interval after the last, so {@link AccessUnit#pts90k()} never jumps back.
 * <li>Malformed payloads (empty, forbidden bit set, STAP-A sizes past the packet, FU-A out of order,
 *     interleaved-mode types) are counted and damage their unit; types 0, 30 and 31 are ignored
 *     (RFC 6184 section 5.2). Nothing a camera sends makes {@link #push} throw.
 * <li>A unit over {@link Limits#maxAccessUnitBytes} or {@link Limits#maxNalUnits} is dropped and counted:
 *     memory stays bounded whatever arrives.
 * <li>Output starts at the first IDR. The latest in-band SPS and PPS are remembered (one of each, as
 *     cameras send; seeded from the SDP until then) and put in front of IDR units that lack them; an
 *     IDR with no known SPS or PPS cannot be decoded and is dropped.
 * </ul>
 */
public final class H264Depacketizer {
    /** RFC 3550 appendix A.1: the largest forward jump taken as loss rather than a sender restart. */
    static final int MAX_DROPOUT = 3000;
    /** RFC 3550 appendix A.1: how far behind a packet may be and still be taken as late, not a restart. */
    static final int MAX_MISORDER = 100;

    /**
     * Bounds on one access unit.
     *
     * @param maxAccessUnitBytes its largest size in AVCC form; a 4K IDR at a high bitrate is about 2 MiB
     * @param maxNalUnits        the most NAL units (slices, SEI, parameter sets) it may hold
     */
    public record Limits(int maxAccessUnitBytes, int maxNalUnits) {
        public static final Limits DEFAULT = new Limits(8 * 1024 * 1024, 1024);

        public Limits {
            if (maxAccessUnitBytes < 64) {
                throw new IllegalArgumentException("maxAccessUnitBytes " + maxAccessUnitBytes + " is below 64");
            }
            if (maxNalUnits < 1) {
                throw new IllegalArgumentException("maxNalUnits " + maxNalUnits + " is below 1");
            }
        }
    }

    /**
     * Counts since creation, for camera status.
     *
     * @param packets              packets pushed
     * @param lostPackets          packets missing from sequence gaps
     * @param latePackets          packets behind the expected sequence number (reordered or duplicated), dropped
     * @param malformedPackets     packets whose payload broke RFC 6184
     * @param accessUnits          access units emitted
     * @param droppedAccessUnits   access units not emitted: damaged, over a limit, or waiting for a keyframe
     * @param oversizeAccessUnits  of those dropped, the ones over a {@link Limits} bound
     */
    public record Stats(long packets, long lostPackets, long latePackets, long malformedPackets, long accessUnits,
                        long droppedAccessUnits, long oversizeAccessUnits) {
    }

    private final CaptureClock captureClock;
    private final InstantSource arrivalClock;
    private final Consumer<AccessUnit> sink;
    private final AccessUnitAssembly unit;
    private final TimestampUnwrapper timestamps = new TimestampUnwrapper();

    private boolean started;
    private long ssrc;
    private int expectedSequence;
    private volatile boolean waitingForKeyframe = true;
    private byte[] sps;
    private byte[] pps;
    private volatile Optional<StreamFormat> streamFormat = Optional.empty();

    // One writer thread; volatile so that stats() on another thread sees recent values.
    private volatile long packets;
    private volatile long lostPackets;
    private volatile long latePackets;
    private volatile long malformedPackets;
    private volatile long accessUnits;
    private volatile long droppedAccessUnits;
    private volatile long oversizeAccessUnits;

    /** Default limits, arrival time as capture time, the system clock. */
    public H264Depacketizer(Consumer<AccessUnit> sink) {
        this(Limits.DEFAULT, CaptureClock.arrival(), InstantSource.system(), sink);
    }

    /**
     * @param captureClock maps an access unit's RTP timestamp and arrival to its capture time
     * @param arrivalClock read when the first packet of each access unit arrives
     * @param sink         receives each access unit, on the thread that called {@link #push}
     */
    public H264Depacketizer(Limits limits, CaptureClock captureClock, InstantSource arrivalClock,
                            Consumer<AccessUnit> sink) {
        this.captureClock = Objects.requireNonNull(captureClock, "captureClock");
        this.arrivalClock = Objects.requireNonNull(arrivalClock, "arrivalClock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.unit = new AccessUnitAssembly(limits.maxAccessUnitBytes(), limits.maxNalUnits());
    }

    /**
     * Parameter sets known before the first packet, from the SDP's sprop-parameter-sets (RFC 6184
     * section 8.1); in-band ones replace them.
     *
     * @throws IllegalArgumentException if they are not an SPS (type 7) and a PPS (type 8)
     */
    public void seedParameterSets(byte[] sps, byte[] pps) {
        if (sps.length == 0 || NalUnits.type(sps[0]) != NalUnits.SPS) {
            throw new IllegalArgumentException("the seeded SPS is not a NAL unit of type 7");
        }
        if (pps.length == 0 || NalUnits.type(pps[0]) != NalUnits.PPS) {
            throw new IllegalArgumentException("the seeded PPS is not a NAL unit of type 8");
        }
        remember(sps.clone());
        remember(pps.clone());
    }

    /** Takes the next packet of the stream, in arrival order; may emit up to two access units. */
    public void push(RtpPacket packet) {
        packets++;
        boolean gap = false;
        if (started) {
            int ahead = (packet.sequence() - expectedSequence) & 0xFFFF;
            if (packet.ssrc() != ssrc) {
                gap = true; // a new source: sequence numbers and timestamps start afresh
                timestamps.restart();
            } else if (ahead >= 0x10000 - MAX_MISORDER) {
                latePackets++;
                return;
            } else if (ahead > MAX_DROPOUT) {
                gap = true; // the sender restarted: how much was lost is unknown
                timestamps.restart();
            } else if (ahead > 0) {
                gap = true;
                lostPackets += ahead;
            }
        }
        started = true;
        ssrc = packet.ssrc();
        expectedSequence = (packet.sequence() + 1) & 0xFFFF;

        long timestamp = packet.timestamp();
        boolean headUncertain = false;
        if (gap) {
            if (unit.active() && unit.rtpTimestamp() == timestamp) {
                unit.damage(); // the middle of this unit is gone; finish() decides whether a reference went too
            } else {
                if (unit.active()) {
                    unit.damage();
                    finish();
                }
                waitingForKeyframe = true; // the lost packets may have held whole pictures
                headUncertain = true;
            }
        }
        if (unit.active() && unit.rtpTimestamp() != timestamp) {
            finish();
        }
        if (!unit.active()) {
            unit.start(timestamp, timestamps.unwrap(timestamp), nowMicros(), headUncertain);
        }
        depacketize(packet.payload(), gap);
        if (packet.marker()) {
            finish();
        }
    }

    /** Ends the access unit in progress as if its last packet had carried the marker bit. */
    public void flush() {
        finish();
    }

    public Stats stats() {
        return new Stats(packets, lostPackets, latePackets, malformedPackets, accessUnits, droppedAccessUnits,
                oversizeAccessUnits);
    }

    /** The format the latest SPS and PPS describe; empty before both are known or if the SPS is malformed. */
    public Optional<StreamFormat> streamFormat() {
        return streamFormat;
    }

    /** Whether output is paused until the next IDR (at the start, and after losing a reference). */
    public boolean waitingForKeyframe() {
        return waitingForKeyframe;
    }

    // RFC 6184 section 5.2: the payload's first byte is a NAL unit header whose type says the structure.
    private void depacketize(byte[] payload, boolean afterGap) {
        if (payload.length == 0 || (payload[0] & 0x80) != 0) {
            malformed(); // empty, or forbidden_zero_bit set (section 5.3: a syntax violation)
            return;
        }
        int type = NalUnits.type(payload[0]);
        switch (type) {
            case NalUnits.STAP_A -> aggregate(payload);
            case NalUnits.FU_A -> fragment(payload, afterGap);
            case 25, 26, 27, 29 -> malformed(); // STAP-B, MTAP16, MTAP24, FU-B: interleaved mode only
            case 0, 30, 31 -> { } // section 5.2: undefined, "MUST be ignored"
            default -> whole(payload, 0, payload.length);
        }
    }

    // RFC 6184 section 5.6: a single NAL unit packet.
    private void whole(byte[] src, int off, int len) {
        if (unit.fragmentOpen()) {
            malformed(); // the open FU-A never got its end
        }
        unit.addNal(src, off, len);
        int type = NalUnits.type(src[off]);
        if (type == NalUnits.SPS || type == NalUnits.PPS) {
            remember(Arrays.copyOfRange(src, off, off + len));
        }
    }

    // RFC 6184 section 5.7.1: STAP-A, NAL units each behind a 16-bit size. Checked whole before any is used.
    private void aggregate(byte[] payload) {
        int count = 0;
        for (int at = 1; at < payload.length; count++) {
            if (payload.length - at < 2) {
                malformed();
                return;
            }
            int size = ((payload[at] & 0xFF) << 8) | (payload[at + 1] & 0xFF);
            if (size == 0 || size > payload.length - at - 2 || !containable(payload[at + 2])) {
                malformed();
                return;
            }
            at += 2 + size;
        }
        if (count == 0) {
            malformed();
            return;
        }
        for (int at = 1; at < payload.length; ) {
            int size = ((payload[at] & 0xFF) << 8) | (payload[at + 1] & 0xFF);
            whole(payload, at + 2, size);
            at += 2 + size;
        }
    }

    // RFC 6184 section 5.8: FU-A, one NAL unit cut into fragments; the header is rebuilt from the
    // indicator's F and NRI bits and the FU header's type.
    private void fragment(byte[] payload, boolean afterGap) {
        if (payload.length < 2) {
            malformed();
            return;
        }
        byte fuHeader = payload[1];
        boolean start = (fuHeader & 0x80) != 0;
        boolean end = (fuHeader & 0x40) != 0;
        byte header = (byte) ((payload[0] & 0xE0) | (fuHeader & 0x1F));
        if (!containable(header)) {
            malformed();
            return;
        }
        if (start) { // start and end together break section 5.8's MUST NOT, but the NAL unit is whole: keep it
            if (unit.fragmentOpen()) {
                malformed();
            }
            unit.startFragment(header, payload, 2, payload.length - 2);
        } else if (!unit.fragmentOpen()) {
            if (afterGap || unit.damaged()) {
                unit.damage(); // the start was lost with the packets before: expected, not malformed
            } else {
                malformed();
            }
            return;
        } else if (unit.fragmentType() != NalUnits.type(header)) {
            malformed();
            return;
        } else {
            unit.continueFragment(payload, 2, payload.length - 2);
        }
        if (end && unit.fragmentOpen()) {
            unit.endFragment();
            int type = NalUnits.type(header);
            if (type == NalUnits.SPS || type == NalUnits.PPS) {
                remember(unit.lastNal());
            }
        }
    }

    /** Whether a NAL unit with this header may be carried by STAP-A or FU-A: types 1 to 23, F bit clear. */
    private static boolean containable(byte header) {
        int type = NalUnits.type(header);
        return (header & 0x80) == 0 && type >= 1 && type <= 23;
    }

    private void malformed() {
        malformedPackets++;
        unit.damage();
    }

    private void finish() {
        if (!unit.active()) {
            return;
        }
        try {
            if (unit.fragmentOpen()) {
                malformed(); // ended inside a NAL unit without a gap: the sender cut it short
            }
            if (unit.damaged()) {
                droppedAccessUnits++;
                if (unit.overLimit()) {
                    oversizeAccessUnits++;
                }
                if (!unit.sawSlice() || unit.sawReferenceSlice()) {
                    waitingForKeyframe = true;
                }
                return;
            }
            if (!unit.sawSlice()) {
                return; // parameter sets or SEI without a picture: nothing to show, the sets are remembered
            }
            boolean idr = unit.idr();
            if (!idr && waitingForKeyframe) {
                droppedAccessUnits++;
                return;
            }
            byte[] addSps = idr && !unit.hasSps() ? sps : null;
            byte[] addPps = idr && !unit.hasPps() ? pps : null;
            if (idr && (!unit.hasSps() && sps == null || !unit.hasPps() && pps == null)) {
                droppedAccessUnits++; // undecodable: no parameter sets yet
                waitingForKeyframe = true;
                return;
            }
            byte[] avcc = unit.toAvcc(addSps, addPps);
            if (idr) {
                waitingForKeyframe = false;
            }
            accessUnits++;
            long captureMicros = captureClock.captureMicros(unit.rtpTimestamp(), unit.arrivalMicros());
            sink.accept(new AccessUnit(unit.pts90k(), captureMicros, idr, avcc));
        } finally {
            unit.reset();
        }
    }

    private void remember(byte[] parameterSet) {
        if (NalUnits.type(parameterSet[0]) == NalUnits.SPS) {
            if (Arrays.equals(parameterSet, sps)) {
                return;
            }
            sps = parameterSet;
        } else {
            if (Arrays.equals(parameterSet, pps)) {
                return;
            }
            pps = parameterSet;
        }
        if (sps != null && pps != null) {
            try {
                streamFormat = Optional.of(StreamFormat.of(sps, pps));
            } catch (H264FormatException | IllegalArgumentException unusable) {
                streamFormat = Optional.empty(); // passed through all the same; a decoder may cope
            }
        }
    }

    private long nowMicros() {
        Instant now = arrivalClock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
