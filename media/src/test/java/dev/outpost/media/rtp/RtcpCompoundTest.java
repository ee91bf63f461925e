package dev.outpost.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** RTCP compound packets (RFC 3550 section 6.1) and sender reports (section 6.4.1): parsed, written, refused. */
class RtcpCompoundTest {
    private static final HexFormat HEX = HexFormat.of();
    /** SR from SSRC 0x12345678 at NTP e9a4b5c6.80000000 (half a second), RTP 0xfffffff0, 1000 packets, 1 MB. */
    private static final String SR = "80c80006" + "12345678" + "e9a4b5c6" + "80000000" + "fffffff0" + "000003e8"
            + "000f4240";
    /** SDES with one chunk: CNAME "cam01", the end item, no padding needed. */
    private static final String SDES = "81ca0003" + "12345678" + "0105" + HEX.formatHex("cam01".getBytes()) + "00";
    /** RR with one report block. */
    private static final String RR = "81c90007" + "0badcafe" + "12345678" + "00000000" + "0000ffff" + "00000000"
            + "00000000" + "00000000";

    @Test
    void readsTheSenderInformationOfASenderReportAndSkipsSdes() {
        List<SenderReport> reports = parse(SR + SDES);

        assertThat(reports).containsExactly(new SenderReport(0x12345678L, 0xe9a4b5c6_80000000L, 0xfffffff0L, 1000,
                1_000_000));
        // 0xe9a4b5c6 seconds after 1900 is 2024-03-20T01:09:26Z; the fraction 0x80000000 is half a second.
        assertThat(Instant.EPOCH.plusNanos(reports.getFirst().unixMicros() * 1000))
                .isEqualTo(Instant.parse("2024-03-20T01:09:26.500Z"));
    }

    @Test
    void aCompoundWithoutSenderReportsGivesNone() {
        assertThat(parse(RR + SDES)).isEmpty();
    }

    @Test
    void reportBlocksAndProfileExtensionsAfterTheSenderInformationAreSkipped() {
        String withBlockAndExtension = "81c8000d" + SR.substring(8) + RR.substring(16) + "cafebabe";

        assertThat(parse(withBlockAndExtension + SDES)).containsExactly(parse(SR).getFirst());
    }

    @Test
    void twoSenderReportsInOneCompoundAreBothRead() {
        String second = SR.replace("12345678", "87654321");

        assertThat(parse(SR + second + SDES)).extracting(SenderReport::ssrc).containsExactly(0x12345678L, 0x87654321L);
    }

    @Test
    void paddingOnTheLastPacketIsAllowed() {
        String paddedSdes = "a1ca0004" + SDES.substring(8) + "00000004";

        assertThat(parse(SR + paddedSdes)).hasSize(1);
    }

    @Test
    void aWrittenReportParsesBackToTheSameValue() {
        TrackingAllocator alloc = new TrackingAllocator();
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            SenderReport report = new SenderReport(random.nextLong() >>> 32, random.nextLong(), random.nextLong() >>> 32,
                    random.nextLong() >>> 32, random.nextLong() >>> 32);
            ByteBuf written = report.write(alloc);
            try {
                assertThat(written.readableBytes()).isEqualTo(SenderReport.LENGTH);
                assertThat(RtcpCompound.senderReports(written)).containsExactly(report);
            } finally {
                written.release();
            }
        }
        alloc.assertAllReleased();
    }

    @Test
    void unixMicrosRoundTripThroughNtpTimestampsAcrossTheEraOf2036() {
        for (String time : List.of("1970-01-01T00:00:00Z", "2026-11-23T22:19:33.123456Z",
                "2036-02-07T06:28:15.999999Z", "2036-02-07T06:28:16Z", "2036-02-07T06:28:16.000001Z",
                "2100-01-01T00:00:00.5Z")) {
            Instant instant = Instant.parse(time);
            long micros = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
            SenderReport report = new SenderReport(1, SenderReport.ntpTimestamp(micros), 0, 0, 0);

            assertThat(report.unixMicros()).as(time).isEqualTo(micros);
        }
        // RFC 4330 section 3: 2036-02-07T06:28:16Z is the start of era 1, where the seconds field is 0 again.
        assertThat(SenderReport.ntpTimestamp(2_085_978_496_000_000L) >>> 32).isZero();
    }

    @Test
    void everyPrefixOfACompoundIsEitherTheWholePacketsInItOrRefused() {
        byte[] compound = HEX.parseHex(SR + SDES + SR.replace("12345678", "0000abcd"));
        List<Integer> boundaries = List.of(28, 44, 72);
        for (int length = 0; length < compound.length; length++) {
            ByteBuf prefix = Unpooled.wrappedBuffer(compound, 0, length);
            try {
                if (boundaries.contains(length)) {
                    assertThat(RtcpCompound.senderReports(prefix)).hasSize(length < 72 ? 1 : 2);
                } else {
                    int cut = length;
                    assertThatThrownBy(() -> RtcpCompound.senderReports(prefix)).as("cut at %d", cut)
                            .isInstanceOf(RtcpFormatException.class);
                }
            } finally {
                prefix.release();
            }
        }
    }

    @Test
    void malformedCompoundsAreRefusedNamingTheFieldAndOffset() {
        assertRefused("", "empty RTCP packet (at offset 0)");
        assertRefused(SR.replaceFirst("^80", "40"), "RTCP version 1, expected 2 (at offset 0)");
        assertRefused(SR + SDES.replaceFirst("^81", "c1"), "RTCP version 3, expected 2 (at offset 28)");
        assertRefused(SR.replaceFirst("^80c80006", "80c80007"),
                "RTCP packet of type 200 declares 32 bytes, only 28 remain (at offset 2)");
        assertRefused(SR + "80c9", "2 bytes left, too few for an RTCP header (at offset 28)");
        assertRefused(SR + "80c9000100", "RTCP packet of type 201 declares 8 bytes, only 5 remain (at offset 30)");
        assertRefused(SR.replaceFirst("^80c80006", "81c80006"),
                "sender report with 1 report blocks needs 52 bytes, its length field gives 28 (at offset 2)");
        assertRefused(SR.replaceFirst("^80c80006", "80c80005").substring(0, 48),
                "sender report with 0 report blocks needs 28 bytes, its length field gives 24 (at offset 2)");
        assertRefused(SR.replaceFirst("^80", "a0") + SDES,
                "padding on an RTCP packet that is not the last of its compound (at offset 0)");
        assertRefused(SR + "a1ca0004" + SDES.substring(8) + "00000000",
                "padding count 0 does not fit a packet of 20 bytes (at offset 47)");
        assertRefused(SR + "a1ca0004" + SDES.substring(8) + "00000015",
                "padding count 21 does not fit a packet of 20 bytes (at offset 47)");
        assertRefused("a0c80006" + SR.substring(8, 48) + "00000008",
                "sender report with 0 report blocks needs 28 bytes, its length field gives 20 (at offset 2)");
    }

    @Test
    void aCompoundLongerThanADatagramIsRefusedBeforeItIsRead() {
        ByteBuf huge = Unpooled.buffer(70_000).writeZero(70_000);
        try {
            assertThatThrownBy(() -> RtcpCompound.senderReports(huge)).isInstanceOf(RtcpFormatException.class)
                    .hasMessageContaining("longer than the 65535");
        } finally {
            huge.release();
        }
    }

    @Test
    void randomDamageGivesReportsOrRtcpFormatExceptionAndNothingElse() {
        byte[] good = HEX.parseHex(SR + RR + SDES);
        Random random = new Random(7);
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] damaged = random.nextInt(4) == 0 ? randomBytes(random) : flip(good, random);
            try {
                parse(HEX.formatHex(damaged));
            } catch (RtcpFormatException expected) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void theReadersIndexesAreLeftAlone() {
        ByteBuf buf = Unpooled.wrappedBuffer(HEX.parseHex("ffff" + SR));
        try {
            buf.readerIndex(2);
            assertThat(RtcpCompound.senderReports(buf)).hasSize(1);
            assertThat(buf.readerIndex()).isEqualTo(2);
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo(SR);
        } finally {
            buf.release();
        }
    }

    private static byte[] flip(byte[] good, Random random) {
        byte[] damaged = good.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return random.nextBoolean() ? damaged : java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length + 1));
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        if (bytes.length > 0) {
            bytes[0] = (byte) (0x80 | bytes[0] & 0x3F); // version 2, so the parser reads further
        }
        return bytes;
    }

    private static List<SenderReport> parse(String hex) {
        return withBuffer(hex, RtcpCompound::senderReports);
    }

    private static void assertRefused(String hex, String message) {
        assertThatThrownBy(() -> parse(hex)).isInstanceOf(RtcpFormatException.class).hasMessage(message);
    }

    private static <T> T withBuffer(String hex, Function<ByteBuf, T> read) {
        ByteBuf buf = Unpooled.wrappedBuffer(HEX.parseHex(hex));
        try {
            return read.apply(buf);
        } finally {
            buf.release();
        }
    }
}
