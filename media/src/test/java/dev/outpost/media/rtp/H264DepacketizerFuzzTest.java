package dev.outpost.media.rtp;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever packets arrive, the depacketizer never throws, never emits a unit over its limits or one that
 * is not well-formed AVCC, and starts every run of output at a keyframe; and the bytes, parsed with
 * {@link RtpPacket#parse} from tracked buffers, are all released. Fixed seeds, so a failure can be replayed.
 */
class H264DepacketizerFuzzTest {
    private static final H264Depacketizer.Limits LIMITS = new H264Depacketizer.Limits(64 * 1024, 64);

    @Test
    void randomPacketsNeverBreakIt() {
        Random random = new Random(1);
        for (int run = 0; run < 40; run++) {
            Harness harness = new Harness();
            harness.depacketizer.seedParameterSets(TestStreams.SPS, TestStreams.PPS);
            int sequence = random.nextInt(65536);
            long timestamp = random.nextLong(1L << 32);
            for (int i = 0; i < 500; i++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(40)];
                random.nextBytes(payload);
                if (payload.length > 0 && random.nextBoolean()) { // mostly the structures it knows
                    int[] types = {1, 5, 7, 8, 24, 28, 28, 28};
                    payload[0] = (byte) (payload[0] & 0x60 | types[random.nextInt(types.length)]);
                }
                sequence = (sequence + (random.nextInt(10) == 0 ? random.nextInt(65536) : 1)) & 0xFFFF;
                if (random.nextInt(5) == 0) {
                    timestamp = (timestamp + random.nextInt(9000)) & 0xFFFF_FFFFL;
                }
                harness.push(new RtpPacket(random.nextInt(5) == 0, 96, sequence, timestamp,
                        random.nextInt(50) == 0 ? 7 : 8, payload), "run " + run + " packet " + i);
            }
            harness.check();
        }
    }

    @Test
    void mutatedStreamsNeverBreakIt() {
        Random random = new Random(2);
        int emitted = 0;
        for (int run = 0; run < 60; run++) {
            Harness harness = new Harness();
            List<AccessUnit> units = TestStreams.stream(random, 40, 8, random.nextLong(1L << 32), 3000);
            H264Packetizer packetizer = new H264Packetizer(96, 8, 200 + random.nextInt(1300), random.nextInt(65536),
                    random.nextBoolean());
            List<RtpPacket> packets = new ArrayList<>();
            units.forEach(u -> packets.addAll(packetizer.packetize(u)));
            for (int i = 0; i < packets.size(); i++) {
                RtpPacket packet = packets.get(i);
                switch (random.nextInt(30)) {
                    case 0 -> { continue; } // lost
                    case 1 -> harness.push(packet, "duplicate " + i); // then sent again below
                    case 2 -> { // swapped with the next
                        if (i + 1 < packets.size()) {
                            harness.push(packets.get(i + 1), "swapped " + i);
                        }
                    }
                    case 3 -> packet = new RtpPacket(!packet.marker(), 96, packet.sequence(), packet.timestamp(),
                            packet.ssrc(), packet.payload());
                    case 4 -> packet = new RtpPacket(packet.marker(), 96, packet.sequence(),
                            random.nextLong(1L << 32), packet.ssrc(), packet.payload());
                    default -> { }
                }
                byte[] wire = harness.bytes(packet);
                int flips = random.nextInt(12) == 0 ? 1 + random.nextInt(3) : 0;
                for (int f = 0; f < flips; f++) {
                    wire[random.nextInt(wire.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(40) == 0) {
                    wire = java.util.Arrays.copyOf(wire, random.nextInt(wire.length + 1));
                }
                harness.pushBytes(wire, "run " + run + " packet " + i);
            }
            harness.depacketizer.flush();
            harness.check();
            emitted += harness.out.size();
        }
        assertThat(emitted).as("most units still get through").isGreaterThan(60 * 40 / 4);
    }

    /** A depacketizer, its output, and tracked buffers for the bytes in between. */
    private static final class Harness {
        final TrackingAllocator alloc = new TrackingAllocator();
        final List<AccessUnit> out = new ArrayList<>();
        final H264Depacketizer depacketizer = new H264Depacketizer(LIMITS, CaptureClock.arrival(),
                new TestStreams.ManualClock(), this::accept);

        void accept(AccessUnit unit) {
            assertThat(unit.size()).isLessThanOrEqualTo(LIMITS.maxAccessUnitBytes() + 4 + TestStreams.SPS.length
                    + 4 + TestStreams.PPS.length);
            List<byte[]> nals = NalUnits.splitAvcc(unit.avcc());
            assertThat(nals.size()).isBetween(1, LIMITS.maxNalUnits() + 2);
            assertThat(nals).anySatisfy(nal -> assertThat(NalUnits.isSlice(NalUnits.type(nal))).isTrue());
            if (unit.keyframe()) {
                assertThat(nals).extracting(NalUnits::type).contains(NalUnits.SPS, NalUnits.PPS, NalUnits.IDR_SLICE);
            }
            if (out.isEmpty()) {
                assertThat(unit.keyframe()).as("output starts at a keyframe").isTrue();
            }
            out.add(unit);
        }

        byte[] bytes(RtpPacket packet) {
            ByteBuf buf = packet.write(alloc);
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }

        void push(RtpPacket packet, String where) {
            pushBytes(bytes(packet), where);
        }

        void pushBytes(byte[] wire, String where) {
            ByteBuf buf = alloc.of(wire);
            try {
                RtpPacket packet;
                try {
                    packet = RtpPacket.parse(buf);
                } catch (RtpFormatException badHeader) {
                    return;
                }
                depacketizer.push(packet);
            } catch (RuntimeException | AssertionError e) {
                fail(where + ": " + HexFormat.of().formatHex(wire, 0, Math.min(wire.length, 64)) + " -> " + e, e);
            } finally {
                buf.release();
            }
        }

        void check() {
            H264Depacketizer.Stats stats = depacketizer.stats();
            assertThat(stats.accessUnits()).isEqualTo(out.size());
            assertThat(stats.oversizeAccessUnits()).isLessThanOrEqualTo(stats.droppedAccessUnits());
            assertThat(List.of(stats.packets(), stats.lostPackets(), stats.latePackets(), stats.malformedPackets(),
                    stats.droppedAccessUnits())).allSatisfy(n -> assertThat(n).isNotNegative());
            alloc.assertAllReleased();
        }
    }
}
