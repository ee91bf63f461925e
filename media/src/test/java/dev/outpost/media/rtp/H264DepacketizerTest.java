package dev.outpost.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class H264DepacketizerTest {
    private static final long SSRC = 0xCAFE_F00DL;
    private static final HexFormat HEX = HexFormat.of();

    private final Random random = new Random(6184);
    private final TestStreams.ManualClock clock = new TestStreams.ManualClock();
    private final List<AccessUnit> out = new ArrayList<>();
    private H264Depacketizer depacketizer;
    private H264Packetizer packetizer;
    /** The next sequence number; a test skips some to lose packets. */
    private int sequence = 100;
    private long ssrc = SSRC;

    @BeforeEach
    void setUp() {
        depacketizer = new H264Depacketizer(H264Depacketizer.Limits.DEFAULT, CaptureClock.arrival(), clock, out::add);
        packetizer = new H264Packetizer(96, SSRC, 200, 100, false);
    }

    // --- framing ---------------------------------------------------------------------------------------

    @Test
    void singleNalStapAAndFuAMakeOneAccessUnit() {
        byte[] idr = TestStreams.slice(random, 5, 3, 500, true);
        push(packet(3000, false, stapA(TestStreams.SPS, TestStreams.PPS)));
        push(packet(3000, false, fu(0x85, idr, 1, 200)));
        push(packet(3000, false, fu(0x05, idr, 200, 400)));
        push(packet(3000, false, fu(0x45, idr, 400, idr.length)));
        assertThat(out).as("no marker yet").isEmpty();
        byte[] p = TestStreams.slice(random, 1, 2, 50, true);
        push(packet(6000, true, p));
        // the IDR had no marker: the timestamp change ended it; the P picture ended with its marker
        assertThat(out).hasSize(2);
        assertThat(out.get(0).avcc()).isEqualTo(NalUnits.toAvcc(List.of(TestStreams.SPS, TestStreams.PPS, idr)));
        assertThat(out.get(0).keyframe()).isTrue();
        assertThat(out.get(0).pts90k()).isEqualTo(3000);
        assertThat(out.get(1).avcc()).isEqualTo(NalUnits.toAvcc(List.of(p)));
        assertThat(out.get(1).keyframe()).isFalse();
        assertThat(out.get(1).pts90k()).isEqualTo(6000);
    }

    @Test
    void flushEndsAUnitWithoutMarker() {
        send(TestStreams.keyframe(random, 3000, 300), false);
        assertThat(out).isEmpty();
        depacketizer.flush();
        assertThat(out).hasSize(1);
        depacketizer.flush();
        assertThat(out).hasSize(1);
    }

    @Test
    void outputStartsAtTheFirstKeyframe() {
        send(TestStreams.picture(random, 0, 2, 300), true);
        send(TestStreams.picture(random, 3000, 2, 300), true);
        assertThat(depacketizer.waitingForKeyframe()).isTrue();
        AccessUnit key = TestStreams.keyframe(random, 6000, 300);
        send(key, true);
        AccessUnit p = TestStreams.picture(random, 9000, 2, 300);
        send(p, true);
        TestStreams.assertSameUnits(out, List.of(key, p));
        assertThat(depacketizer.waitingForKeyframe()).isFalse();
        assertThat(depacketizer.stats().droppedAccessUnits()).isEqualTo(2);
    }

    // --- parameter sets -------------------------------------------------------------------------------

    @Test
    void seededParameterSetsArePutInFrontOfAnIdrThatLacksThem() {
        depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
        assertThat(depacketizer.streamFormat()).hasValueSatisfying(f -> {
            assertThat(f.width()).isEqualTo(1280);
            assertThat(f.height()).isEqualTo(720);
        });
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        send(new AccessUnit(0, 0, true, NalUnits.toAvcc(List.of(TestStreams.AUD, idr))), true);
        assertThat(out.getFirst().avcc()).as("after the access unit delimiter")
                .isEqualTo(NalUnits.toAvcc(List.of(TestStreams.AUD, TestStreams.SPS, TestStreams.PPS, idr)));
        byte[] sei = TestStreams.slice(random, 6, 0, 10, true);
        send(new AccessUnit(3000, 0, true, NalUnits.toAvcc(List.of(sei, idr))), true);
        assertThat(out.get(1).avcc()).isEqualTo(NalUnits.toAvcc(List.of(TestStreams.SPS, TestStreams.PPS, sei, idr)));
    }

    @Test
    void aMissingPpsGoesRightAfterTheSpsAndAMissingSpsBeforeThePps() {
        depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        send(new AccessUnit(0, 0, true, NalUnits.toAvcc(List.of(TestStreams.AUD, TestStreams.SPS, idr))), true);
        send(new AccessUnit(3000, 0, true, NalUnits.toAvcc(List.of(TestStreams.PPS, idr))), true);
        assertThat(out.get(0).avcc())
                .isEqualTo(NalUnits.toAvcc(List.of(TestStreams.AUD, TestStreams.SPS, TestStreams.PPS, idr)));
        assertThat(out.get(1).avcc()).isEqualTo(NalUnits.toAvcc(List.of(TestStreams.SPS, TestStreams.PPS, idr)));
    }

    @Test
    void inBandParameterSetsReplaceSeededOnesAndUpdateTheFormat() {
        depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
        byte[] sps1080 = HEX.parseHex("6742c028d900780227e5c044000003000400000300c83c60c920");
        byte[] pps1080 = HEX.parseHex("68cb83cb20");
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        send(new AccessUnit(0, 0, true, NalUnits.toAvcc(List.of(sps1080, pps1080, idr))), true);
        assertThat(depacketizer.streamFormat()).hasValueSatisfying(f -> assertThat(f.height()).isEqualTo(1080));
        send(new AccessUnit(3000, 0, true, NalUnits.toAvcc(List.of(idr))), true);
        assertThat(out.get(1).avcc()).isEqualTo(NalUnits.toAvcc(List.of(sps1080, pps1080, idr)));
    }

    @Test
    void anIdrWithoutAnyParameterSetsIsUndecodableAndDropped() {
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        send(new AccessUnit(0, 0, true, NalUnits.toAvcc(List.of(idr))), true);
        assertThat(out).isEmpty();
        assertThat(depacketizer.waitingForKeyframe()).isTrue();
        assertThat(depacketizer.streamFormat()).isEmpty();
    }

    @Test
    void aMalformedSpsPassesThroughWithoutAFormat() {
        byte[] badSps = HEX.parseHex("6764001f");
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        send(new AccessUnit(0, 0, true, NalUnits.toAvcc(List.of(badSps, TestStreams.PPS, idr))), true);
        assertThat(out).hasSize(1);
        assertThat(depacketizer.streamFormat()).isEmpty();
    }

    @Test
    void seedingRefusesWhatIsNotAParameterSet() {
        assertThatThrownBy(() -> depacketizer.seedParameterSets(TestStreams.PPS, TestStreams.PPS))
                .hasMessageContaining("type 7");
        assertThatThrownBy(() -> depacketizer.seedParameterSets(TestStreams.SPS, new byte[0]))
                .hasMessageContaining("type 8");
    }

    // --- loss -------------------------------------------------------------------------------------------

    @Test
    void losingPartOfAReferencePictureDropsUntilTheNextKeyframe() {
        List<AccessUnit> gop = TestStreams.stream(random, 10, 5, 0, 1000);
        List<AccessUnit> expected = new ArrayList<>();
        for (int i = 0; i < gop.size(); i++) {
            AccessUnit unit = forceReference(gop.get(i));
            List<RtpPacket> packets = packetsOf(unit);
            if (i == 2) {
                assertThat(packets.size()).isGreaterThan(1);
                packets = new ArrayList<>(packets);
                packets.remove(packets.size() / 2); // a middle packet: same timestamp on both sides of the gap
            }
            packets.forEach(this::push);
            if (i < 2 || i >= 5) {
                expected.add(unit);
            }
        }
        TestStreams.assertSameUnits(out, expected);
        H264Depacketizer.Stats stats = depacketizer.stats();
        assertThat(stats.lostPackets()).isEqualTo(1);
        assertThat(stats.droppedAccessUnits()).as("the damaged unit and the two that depend on it").isEqualTo(3);
        assertThat(stats.malformedPackets()).isZero();
    }

    @Test
    void losingPartOfANonReferencePictureDropsOnlyThatPicture() {
        AccessUnit key = TestStreams.keyframe(random, 0, 300);
        AccessUnit nonReference = TestStreams.picture(random, 3000, 0, 300);
        nonReference = withBigSlice(nonReference, 0);
        AccessUnit next = TestStreams.picture(random, 6000, 2, 300);
        send(key, true);
        List<RtpPacket> packets = new ArrayList<>(packetsOf(nonReference));
        packets.remove(packets.size() - 2);
        packets.forEach(this::push);
        send(next, true);
        TestStreams.assertSameUnits(out, List.of(key, next));
        assertThat(depacketizer.stats().droppedAccessUnits()).isEqualTo(1);
    }

    @Test
    void aGapAcrossUnitsWaitsForAKeyframeButKeepsOneThatArrivesWhole() {
        send(TestStreams.keyframe(random, 0, 300), true);
        packetsOf(TestStreams.picture(random, 3000, 2, 300)); // lost
        AccessUnit p = TestStreams.picture(random, 6000, 2, 300);
        send(p, true);
        assertThat(out).hasSize(1);
        assertThat(depacketizer.waitingForKeyframe()).isTrue();
        AccessUnit key = TestStreams.keyframe(random, 9000, 300);
        packetsOf(TestStreams.picture(random, 7500, 2, 300)); // lost too, just before the IDR
        send(key, true);
        assertThat(out).hasSize(2);
        assertThat(out.getLast().avcc()).isEqualTo(key.avcc());
    }

    @Test
    void aKeyframeWhoseFirstSliceWasLostIsDropped() {
        send(TestStreams.keyframe(random, 0, 300), true);
        byte[] first = TestStreams.slice(random, 5, 3, 150, true);
        byte[] second = TestStreams.slice(random, 5, 3, 150, false);
        push(packet(3000, true, TestStreams.slice(random, 1, 2, 20, true)));
        sequence++; // lost: SPS, PPS and the first slice of an IDR
        push(packet(6000, true, second)); // the second slice starts mid-picture
        assertThat(out).hasSize(2);
        assertThat(depacketizer.stats().droppedAccessUnits()).isEqualTo(1);
        push(packet(9000, false, stapA(TestStreams.SPS, TestStreams.PPS)));
        push(packet(9000, false, first));
        push(packet(9000, true, second));
        assertThat(out).hasSize(3);
        assertThat(out.getLast().keyframe()).isTrue();
    }

    @Test
    void aLostFuAStartDamagesQuietly() {
        send(TestStreams.keyframe(random, 0, 300), true);
        byte[] idr = TestStreams.slice(random, 5, 3, 600, true);
        push(packet(3000, false, stapA(TestStreams.SPS, TestStreams.PPS)));
        sequence++; // lost: the FU-A start
        push(packet(3000, false, fu(0x05, idr, 200, 400)));
        push(packet(3000, true, fu(0x45, idr, 400, idr.length)));
        assertThat(out).hasSize(1);
        assertThat(depacketizer.stats().malformedPackets()).isZero();
        assertThat(depacketizer.stats().lostPackets()).isEqualTo(1);
    }

    @Test
    void latePacketsAreCountedAndDropped() {
        AccessUnit key = TestStreams.keyframe(random, 0, 1000);
        List<RtpPacket> packets = packetsOf(key);
        for (int i = 0; i < packets.size(); i++) {
            push(packets.get(i));
            if (i > 0) {
                push(packets.get(i - 1)); // a duplicate of the one before
            }
        }
        AccessUnit p = TestStreams.picture(random, 3000, 2, 300);
        send(p, true);
        TestStreams.assertSameUnits(out, List.of(key, p));
        assertThat(depacketizer.stats().latePackets()).isEqualTo(packets.size() - 1);
        assertThat(depacketizer.stats().lostPackets()).isZero();
    }

    @Test
    void sequenceNumbersWrapWithoutLoss() {
        sequence = 65_530;
        List<AccessUnit> units = TestStreams.stream(random, 8, 4, 0, 900);
        units.forEach(u -> send(u, true));
        TestStreams.assertSameUnits(out, units);
        assertThat(sequence).as("wrapped").isGreaterThan(65_536);
        assertThat(depacketizer.stats().lostPackets()).isZero();
    }

    @Test
    void aNewSsrcOrASequenceJumpIsARestartAndPtsGoesOn() {
        send(TestStreams.keyframe(random, 10_000, 300), true);
        send(TestStreams.picture(random, 13_000, 2, 300), true);
        ssrc = SSRC + 1;
        send(TestStreams.picture(random, 4_000_000_000L, 2, 300), true);
        send(TestStreams.keyframe(random, 4_000_003_000L, 300), true);
        sequence += 40_000;
        send(TestStreams.keyframe(random, 77, 300), true);
        assertThat(out).extracting(AccessUnit::pts90k).containsExactly(10_000L, 13_000L, 19_000L, 22_000L);
        assertThat(depacketizer.stats().lostPackets()).as("a restart is not counted as loss").isZero();
    }

    // --- limits and malformed input ---------------------------------------------------------------------

    @Test
    void anOversizeUnitIsDroppedAndCountedWithoutHoldingItsBytes() {
        depacketizer = new H264Depacketizer(new H264Depacketizer.Limits(4096, 8), CaptureClock.arrival(), clock,
                out::add);
        send(smallKeyframe(0), true);
        byte[] chunk = new byte[1000];
        push(packet(3000, false, fu(0x81, TestStreams.slice(random, 1, 2, 1000, true), 1, 1000)));
        for (int i = 0; i < 10_000; i++) { // 10 MB of one endless fragment
            push(packet(3000, false, fu(0x01, chunk, 0, chunk.length)));
        }
        push(packet(3000, true, fu(0x41, chunk, 0, 10)));
        // nine NAL units where eight are allowed
        byte[] small = TestStreams.slice(random, 1, 2, 10, true);
        for (int i = 0; i < 9; i++) {
            push(packet(6000, i == 8, small));
        }
        assertThat(out).hasSize(1);
        assertThat(depacketizer.stats().oversizeAccessUnits()).isEqualTo(2);
        assertThat(depacketizer.stats().droppedAccessUnits()).isGreaterThanOrEqualTo(2);
        assertThat(depacketizer.waitingForKeyframe()).isTrue();
        send(smallKeyframe(9000), true);
        assertThat(out).hasSize(2);
    }

    @Test
    void malformedPayloadsAreCountedAndDamageTheirUnit() {
        byte[] idr = TestStreams.slice(random, 5, 3, 300, true);
        byte[][] bad = {
                {},                                      // empty
                {(byte) 0xE5, 1, 2},                     // forbidden bit
                HEX.parseHex("78" + "0010" + "6742"),    // STAP-A size past the end
                HEX.parseHex("78" + "0000"),             // STAP-A empty unit
                HEX.parseHex("78" + "00"),               // STAP-A truncated size
                HEX.parseHex("78"),                      // STAP-A with nothing
                HEX.parseHex("78" + "0002" + "7801"),    // STAP-A inside STAP-A
                HEX.parseHex("7c"),                      // FU-A without header
                HEX.parseHex("7c" + "9c" + "00"),        // FU-A carrying type 28
                HEX.parseHex("7c" + "05" + "0102"),      // FU-A middle without a start, no gap
                HEX.parseHex("79" + "00"),               // STAP-B
                HEX.parseHex("7a" + "00"), HEX.parseHex("7b" + "00"), // MTAP16, MTAP24
                HEX.parseHex("7d" + "85" + "00"),        // FU-B
        };
        depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
        long ts = 0;
        for (byte[] payload : bad) {
            push(packet(ts, false, idr));
            push(packet(ts, true, payload));
            ts += 3000;
        }
        assertThat(out).as("every keyframe was damaged").isEmpty();
        assertThat(depacketizer.stats().malformedPackets()).isEqualTo(bad.length);
        assertThat(depacketizer.stats().droppedAccessUnits()).isEqualTo(bad.length);
    }

    @Test
    void fragmentsOutOfOrderAreMalformed() {
        depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
        byte[] idr = TestStreams.slice(random, 5, 3, 300, true);
        // a new start while one is open
        push(packet(0, false, fu(0x85, idr, 1, 100)));
        push(packet(0, true, fu(0xC5, idr, 1, idr.length)));
        // a whole NAL unit while one is open
        push(packet(3000, false, fu(0x85, idr, 1, 100)));
        push(packet(3000, true, idr));
        // a type change mid-fragment
        push(packet(6000, false, fu(0x85, idr, 1, 100)));
        push(packet(6000, true, fu(0x41, idr, 100, idr.length)));
        // a unit that ends with its fragment open
        push(packet(9000, true, fu(0x85, idr, 1, 100)));
        assertThat(out).isEmpty();
        assertThat(depacketizer.stats().malformedPackets()).isEqualTo(4);
        // start and end in one FU-A: against RFC 6184 but whole, so kept
        push(packet(12_000, true, fu(0xC5, idr, 1, idr.length)));
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().avcc())
                .isEqualTo(NalUnits.toAvcc(List.of(TestStreams.SPS, TestStreams.PPS, idr)));
    }

    @Test
    void undefinedTypesAreIgnored() {
        AccessUnit key = TestStreams.keyframe(random, 0, 300);
        for (RtpPacket packet : packetsOf(key)) {
            for (int type : new int[] {0, 30, 31}) {
                push(packet(0, false, new byte[] {(byte) type, 1, 2, 3}));
            }
            push(new RtpPacket(packet.marker(), 96, sequence++, 0, ssrc, packet.payload()));
        }
        TestStreams.assertSameUnits(out, List.of(key));
        assertThat(depacketizer.stats().malformedPackets()).isZero();
    }

    // --- clocks ------------------------------------------------------------------------------------------

    @Test
    void captureTimeIsTheArrivalOfTheFirstPacketByDefault() {
        AccessUnit key = TestStreams.keyframe(random, 0, 1000);
        List<RtpPacket> packets = packetsOf(key);
        long first = clock.micros();
        for (RtpPacket packet : packets) {
            push(packet);
            clock.advanceMillis(5);
        }
        assertThat(out.getFirst().captureMicros()).isEqualTo(first);
    }

    @Test
    void aCaptureClockMapsTheRtpTimestamp() {
        long[] seen = new long[2];
        depacketizer = new H264Depacketizer(H264Depacketizer.Limits.DEFAULT, (rtp, arrival) -> {
            seen[0] = rtp;
            seen[1] = arrival;
            return 1_700_000_000_000_000L + rtp * 100 / 9; // as if a sender report said RTP 0 is that instant
        }, clock, out::add);
        send(TestStreams.keyframe(random, 90_000, 300), true);
        assertThat(out.getFirst().captureMicros()).isEqualTo(1_700_000_001_000_000L);
        assertThat(seen).containsExactly(90_000, clock.micros());
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new H264Depacketizer.Limits(10, 10)).hasMessageContaining("maxAccessUnitBytes");
        assertThatThrownBy(() -> new H264Depacketizer.Limits(1000, 0)).hasMessageContaining("maxNalUnits");
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** Sends a unit's packets; without {@code marker}, none carries the marker bit. */
    private void send(AccessUnit unit, boolean marker) {
        for (RtpPacket packet : packetsOf(unit)) {
            push(marker ? packet : new RtpPacket(false, packet.payloadType(), packet.sequence(), packet.timestamp(),
                    packet.ssrc(), packet.payload()));
        }
    }

    /** A unit's packets, numbered from {@link #sequence} on, from {@link #ssrc}. */
    private List<RtpPacket> packetsOf(AccessUnit unit) {
        List<RtpPacket> packets = new ArrayList<>();
        for (RtpPacket p : packetizer.packetize(unit)) {
            packets.add(new RtpPacket(p.marker(), 96, sequence++ & 0xFFFF, p.timestamp(), ssrc, p.payload()));
        }
        return packets;
    }

    private void push(RtpPacket packet) {
        depacketizer.push(packet);
    }

    private RtpPacket packet(long timestamp, boolean marker, byte[] payload) {
        return new RtpPacket(marker, 96, sequence++ & 0xFFFF, timestamp, ssrc, payload);
    }

    private AccessUnit smallKeyframe(long pts) {
        byte[] idr = TestStreams.slice(random, 5, 3, 100, true);
        return new AccessUnit(pts, 0, true, NalUnits.toAvcc(List.of(TestStreams.SPS, TestStreams.PPS, idr)));
    }

    private static byte[] stapA(byte[]... nals) {
        List<byte[]> parts = new ArrayList<>();
        int size = 1;
        for (byte[] nal : nals) {
            size += 2 + nal.length;
            parts.add(nal);
        }
        byte[] out = new byte[size];
        out[0] = 0x78;
        int at = 1;
        for (byte[] nal : parts) {
            out[at] = (byte) (nal.length >> 8);
            out[at + 1] = (byte) nal.length;
            System.arraycopy(nal, 0, out, at + 2, nal.length);
            at += 2 + nal.length;
        }
        return out;
    }

    /** An FU-A with NRI 3, the given FU header, and {@code nal[from, to)}. */
    private static byte[] fu(int fuHeader, byte[] nal, int from, int to) {
        byte[] out = new byte[2 + to - from];
        out[0] = 0x7C;
        out[1] = (byte) fuHeader;
        System.arraycopy(nal, from, out, 2, to - from);
        return out;
    }

    /** The unit with every slice made a reference (NRI 2), so losing any of it matters. */
    private static AccessUnit forceReference(AccessUnit unit) {
        List<byte[]> nals = NalUnits.splitAvcc(unit.avcc());
        for (byte[] nal : nals) {
            if (NalUnits.isSlice(NalUnits.type(nal[0])) && NalUnits.refIdc(nal[0]) == 0) {
                nal[0] |= 0x40;
            }
        }
        return withBigSlice(new AccessUnit(unit.pts90k(), 0, unit.keyframe(), NalUnits.toAvcc(nals)),
                unit.keyframe() ? 3 : 2);
    }

    /** The unit with a 700-byte slice appended, so that it spans several packets. */
    private static AccessUnit withBigSlice(AccessUnit unit, int nri) {
        List<byte[]> nals = new ArrayList<>(NalUnits.splitAvcc(unit.avcc()));
        nals.add(TestStreams.slice(new Random(nals.size()), unit.keyframe() ? 5 : 1, nri, 700, false));
        return new AccessUnit(unit.pts90k(), 0, unit.keyframe(), NalUnits.toAvcc(nals));
    }
}
