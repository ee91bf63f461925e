package dev.outpost.media.rtp;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * V=2, P, X, CC=2; M, PT 96; seq 0xBEEF; ts 0xFFFFFFFE; SSRC 0x89ABCDEF; two CSRCs; a one-word
     * RFC 8285 extension; payload 7C 85 01 02; three bytes of padding counting themselves.
     */
    private static final byte[] FULL = HEX.parseHex("b2e0beef" + "fffffffe" + "89abcdef" + "00000001" + "ffffffff"
            + "bede0001" + "10ff0000" + "7c850102" + "000003");

    @Test
    void parsesEveryHeaderField() {
        RtpPacket packet = RtpPacket.parse(FULL);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.sequence()).isEqualTo(0xBEEF);
        assertThat(packet.timestamp()).isEqualTo(0xFFFF_FFFEL);
        assertThat(packet.ssrc()).isEqualTo(0x89AB_CDEFL);
        assertThat(packet.csrcs()).containsExactly(1L, 0xFFFF_FFFFL);
        assertThat(packet.payload()).isEqualTo(HEX.parseHex("7c850102"));
    }

    @Test
    void writesWhatItParses() {
        TrackingAllocator alloc = new TrackingAllocator();
        RtpPacket packet = RtpPacket.parse(FULL);
        ByteBuf written = packet.write(alloc);
        try {
            // no extension or padding is written: the value round-trips, not the sender's bytes
            assertThat(ByteBufUtil.hexDump(written)).isEqualTo("82e0beef" + "fffffffe" + "89abcdef" + "00000001"
                    + "ffffffff" + "7c850102");
            assertThat(written.readableBytes()).isEqualTo(packet.length());
            assertThat(RtpPacket.parse(written)).isEqualTo(packet);
        } finally {
            written.release();
        }
        alloc.assertAllReleased();
    }

    @Test
    void randomPacketsRoundTrip() {
        TrackingAllocator alloc = new TrackingAllocator();
        Random random = new Random(3550);
        for (int i = 0; i < 3000; i++) {
            RtpPacket packet = randomPacket(random);
            ByteBuf written = packet.write(alloc);
            try {
                RtpPacket parsed = RtpPacket.parse(written);
                assertThat(parsed).isEqualTo(packet).hasSameHashCodeAs(packet);
                assertThat(written.readerIndex()).as("parse leaves the indexes alone").isZero();
                assertThat(written.refCnt()).as("and the reference count").isEqualTo(1);
            } finally {
                written.release();
            }
        }
        alloc.assertAllReleased();
    }

    @Test
    void parsesTheSameFromOneByteComponentsAndFromAnOffset() {
        CompositeByteBuf pieces = Unpooled.compositeBuffer(FULL.length);
        for (byte b : FULL) {
            pieces.addComponent(true, Unpooled.wrappedBuffer(new byte[] {b}));
        }
        ByteBuf offset = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3}).writeBytes(FULL).writeByte(9);
        try {
            offset.readerIndex(3).writerIndex(3 + FULL.length);
            assertThat(RtpPacket.parse(pieces)).isEqualTo(RtpPacket.parse(FULL));
            assertThat(RtpPacket.parse(offset)).isEqualTo(RtpPacket.parse(FULL));
            assertThat(offset.readerIndex()).isEqualTo(3);
        } finally {
            pieces.release();
            offset.release();
        }
    }

    @Test
    void everyPrefixParsesOrFailsWithAnOffsetInside() {
        for (int length = 0; length <= FULL.length; length++) {
            byte[] prefix = Arrays.copyOf(FULL, length);
            try {
                RtpPacket.parse(prefix);
                assertThat(length).as("only the whole packet or one whose last byte reads as padding parses")
                        .isGreaterThanOrEqualTo(28);
            } catch (RtpFormatException e) {
                assertThat(e.offset()).isBetween(0, length);
            }
        }
    }

    @Test
    void malformedPacketsAreNamed() {
        assertError("", "shorter than the 12-byte RTP header", 0);
        assertError("80600001000000000000", "shorter than the 12-byte RTP header", 10);
        assertError("406000010000000000000001", "RTP version 1, expected 2", 0);
        assertError("c06000010000000000000001", "RTP version 3", 0);
        assertError("836000010000000000000001" + "0000000100000002", "3 CSRCs need 12 bytes, only 8 remain", 12);
        assertError("906000010000000000000001" + "bede", "header extension needs a 4-byte header", 12);
        assertError("906000010000000000000001" + "bede0002" + "00000000", "declares 8 bytes, only 4 remain", 14);
        assertError("a06000010000000000000001", "padding flag set but no byte follows", 12);
        assertError("a06000010000000000000001" + "650000", "padding count 0", 14);
        assertError("a06000010000000000000001" + "650005", "padding count 5 exceeds the 3 bytes", 14);
        byte[] huge = new byte[RtpPacket.MAX_LENGTH + 1];
        huge[0] = (byte) 0x80;
        RtpFormatException e = catchThrowableOfType(RtpFormatException.class, () -> RtpPacket.parse(huge));
        assertThat(e).hasMessageContaining("longer than the 65535");
    }

    @Test
    void paddingMayTakeTheWholePayload() {
        RtpPacket packet = RtpPacket.parse(HEX.parseHex("a06000010000000000000001" + "000003"));
        assertThat(packet.payload()).isEmpty();
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        byte[] none = new byte[0];
        assertThatThrownBy(() -> new RtpPacket(false, 128, 0, 0, 0, none)).hasMessageContaining("payload type 128");
        assertThatThrownBy(() -> new RtpPacket(false, 96, 65536, 0, 0, none)).hasMessageContaining("sequence");
        assertThatThrownBy(() -> new RtpPacket(false, 96, 0, 1L << 32, 0, none)).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new RtpPacket(false, 96, 0, 0, -1, none)).hasMessageContaining("SSRC");
        assertThatThrownBy(() -> new RtpPacket(false, 96, 0, 0, 0, new ArrayList<>(java.util.Collections.nCopies(16, 1L)), none))
                .hasMessageContaining("16 CSRCs");
        assertThatThrownBy(() -> new RtpPacket(false, 96, 0, 0, 0, new byte[RtpPacket.MAX_LENGTH - 11]))
                .hasMessageContaining("does not fit");
    }

    @Test
    void fuzzedPacketsFailOnlyAsRtpFormatErrorsAndLeakNothing() {
        TrackingAllocator alloc = new TrackingAllocator();
        Random random = new Random(20261123L);
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(80)];
                random.nextBytes(input);
                if (random.nextBoolean() && input.length > 0) {
                    input[0] = (byte) (0x80 | input[0] & 0x3F); // version 2, so the rest is looked at
                }
            } else {
                ByteBuf valid = randomPacket(random).write(alloc);
                input = ByteBufUtil.getBytes(valid);
                valid.release();
                for (int m = 1 + random.nextInt(4); m > 0 && input.length > 0; m--) {
                    int at = random.nextInt(Math.min(input.length, 20)); // mostly the header
                    input[at] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    input = Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            ByteBuf buf = alloc.of(input);
            try {
                RtpPacket packet = RtpPacket.parse(buf);
                assertThat(packet.length()).isLessThanOrEqualTo(input.length);
                parsed++;
            } catch (RtpFormatException expected) {
                assertThat(expected.offset()).isBetween(0, RtpPacket.MAX_LENGTH);
            } catch (RuntimeException e) {
                fail("input " + HEX.formatHex(input) + " threw " + e, e);
            } finally {
                buf.release();
            }
        }
        assertThat(parsed).isGreaterThan(1000);
        alloc.assertAllReleased();
    }

    private static void assertError(String hex, String message, int offset) {
        RtpFormatException e = catchThrowableOfType(RtpFormatException.class, () -> RtpPacket.parse(HEX.parseHex(hex)));
        assertThat(e).as(hex).isNotNull().hasMessageContaining(message).hasMessageContaining("at offset " + offset);
        assertThat(e.offset()).isEqualTo(offset);
    }

    static RtpPacket randomPacket(Random random) {
        List<Long> csrcs = new ArrayList<>();
        for (int n = random.nextInt(8) == 0 ? random.nextInt(16) : 0; n > 0; n--) {
            csrcs.add(random.nextLong(1L << 32));
        }
        byte[] payload = new byte[random.nextInt(10) == 0 ? random.nextInt(65_535 - 12 - 4 * csrcs.size()) : random.nextInt(1500)];
        random.nextBytes(payload);
        long edge = random.nextBoolean() ? 0xFFFF_FFFFL : 0;
        return new RtpPacket(random.nextBoolean(), random.nextInt(128), random.nextInt(65536),
                random.nextInt(4) == 0 ? edge : random.nextLong(1L << 32),
                random.nextInt(4) == 0 ? edge : random.nextLong(1L << 32), csrcs, payload);
    }
}
