package dev.outpost.media.rtp;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Access units through {@link H264Packetizer}, bytes, {@link RtpPacket#parse} and {@link H264Depacketizer}. */
class H264RoundTripTest {
    @ParameterizedTest(name = "max packet {0}, STAP-A {1}")
    @CsvSource({"15, false", "15, true", "100, false", "100, true", "1400, false", "1400, true", "65535, true"})
    void randomAccessUnitsComeBackIdentical(int maxPacketSize, boolean aggregate) {
        Random random = new Random(maxPacketSize * 31L + (aggregate ? 1 : 0));
        long firstPts = 0xFFFF_FFFFL - 3000L * 20; // the RTP timestamp wraps a third of the way in
        List<AccessUnit> units = TestStreams.stream(random, 60, 12, firstPts, 3 * Math.min(maxPacketSize, 5000));
        TrackingAllocator alloc = new TrackingAllocator();
        TestStreams.ManualClock clock = new TestStreams.ManualClock();
        List<AccessUnit> out = new ArrayList<>();
        H264Depacketizer depacketizer = new H264Depacketizer(H264Depacketizer.Limits.DEFAULT, CaptureClock.arrival(),
                clock, out::add);
        H264Packetizer packetizer = new H264Packetizer(96, 0x1234_5678L, maxPacketSize, 65_500, aggregate);
        int packets = 0;
        for (AccessUnit unit : units) {
            List<RtpPacket> sent = packetizer.packetize(unit);
            assertThat(sent).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(maxPacketSize));
            assertThat(sent).filteredOn(RtpPacket::marker).containsExactly(sent.getLast());
            for (RtpPacket packet : sent) {
                ByteBuf wire = packet.write(alloc);
                try {
                    depacketizer.push(RtpPacket.parse(wire));
                } finally {
                    wire.release();
                }
            }
            packets += sent.size();
            assertThat(out).as("each unit comes out at its marker").hasSize(units.indexOf(unit) + 1);
            clock.advanceMillis(66);
        }
        TestStreams.assertSameUnits(out, units);
        assertThat(out.getLast().pts90k()).as("past the wrap, pts keeps counting").isGreaterThan(1L << 32);
        assertThat(out.get(1).captureMicros() - out.get(0).captureMicros()).isEqualTo(66_000);
        assertThat(depacketizer.stats()).isEqualTo(new H264Depacketizer.Stats(packets, 0, 0, 0, units.size(), 0, 0));
        assertThat(depacketizer.streamFormat()).hasValueSatisfying(f -> assertThat(f.width()).isEqualTo(1280));
        alloc.assertAllReleased();
    }

    @Test
    void choosesSingleNalStapAndFuA() {
        byte[] sps = TestStreams.SPS;
        byte[] pps = TestStreams.PPS;
        byte[] idr = TestStreams.slice(new Random(1), NalUnits.IDR_SLICE, 3, 250, true);
        AccessUnit unit = new AccessUnit(90_000, 0, true, NalUnits.toAvcc(List.of(sps, pps, idr)));

        List<RtpPacket> plain = new H264Packetizer(96, 1, 12 + 100, 7, false).packetize(unit);
        assertThat(plain).extracting(p -> NalUnits.type(p.payload()[0])).containsExactly(7, 8, 28, 28, 28);
        assertThat(plain).extracting(RtpPacket::sequence).containsExactly(7, 8, 9, 10, 11);
        assertThat(plain).extracting(RtpPacket::timestamp).containsOnly(90_000L);
        assertThat(plain.get(2).payload()[1] & 0xFF).as("FU header: start, type 5").isEqualTo(0x85);
        assertThat(plain.get(3).payload()[1] & 0xFF).as("FU header: middle").isEqualTo(0x05);
        assertThat(plain.get(4).payload()[1] & 0xFF).as("FU header: end").isEqualTo(0x45);
        assertThat(plain.get(2).payload()[0] & 0xFF).as("FU indicator keeps NRI 3").isEqualTo(0x7C);

        List<RtpPacket> aggregated = new H264Packetizer(96, 1, 12 + 100, 0, true).packetize(unit);
        assertThat(aggregated).extracting(p -> NalUnits.type(p.payload()[0])).containsExactly(24, 28, 28, 28);
        assertThat(HexFormat.of().formatHex(aggregated.getFirst().payload()))
                .as("STAP-A: NRI of the highest, then size and unit for each")
                .isEqualTo("78" + "001a" + HexFormat.of().formatHex(sps) + "0006" + HexFormat.of().formatHex(pps));
    }

    @Test
    void packetizerRefusesImpossibleSettings() {
        assertThatThrownBy(() -> new H264Packetizer(96, 1, 14, 0, false)).hasMessageContaining("maxPacketSize 14");
        assertThatThrownBy(() -> new H264Packetizer(200, 1, 1400, 0, false)).hasMessageContaining("payload type");
        assertThatThrownBy(() -> new H264Packetizer(96, 1, 1400, 70_000, false)).hasMessageContaining("sequence");
    }
}
