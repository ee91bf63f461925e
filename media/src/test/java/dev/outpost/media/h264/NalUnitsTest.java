package dev.outpost.media.h264;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NalUnitsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void headerFields() {
        assertThat(NalUnits.type((byte) 0x65)).isEqualTo(NalUnits.IDR_SLICE);
        assertThat(NalUnits.refIdc((byte) 0x65)).isEqualTo(3);
        assertThat(NalUnits.type((byte) 0x41)).isEqualTo(NalUnits.NON_IDR_SLICE);
        assertThat(NalUnits.refIdc((byte) 0x01)).isZero();
        assertThat(NalUnits.type(new byte[] {0x67, 0x42})).isEqualTo(NalUnits.SPS);
        assertThat(NalUnits.isSlice(5)).isTrue();
        assertThat(NalUnits.isSlice(6)).isFalse();
        assertThatThrownBy(() -> NalUnits.type(new byte[0])).isInstanceOf(H264FormatException.class);
    }

    @Test
    void splitsAnnexBWithThreeAndFourByteStartCodes() {
        byte[] stream = HEX.parseHex("00000001" + "6742c01e" + "000001" + "68ce3c80" + "00000001" + "65888400"
                + "0000" /* trailing_zero_8bits */ + "000001" + "41" + "00000001" + "019a");
        List<byte[]> nals = NalUnits.splitAnnexB(stream);
        assertThat(nals).extracting(HEX::formatHex)
                .containsExactly("6742c01e", "68ce3c80", "658884", "41", "019a");
    }

    @Test
    void annexBEdgeCases() {
        assertThat(NalUnits.splitAnnexB(new byte[0])).isEmpty();
        assertThat(NalUnits.splitAnnexB(HEX.parseHex("000000"))).isEmpty();
        assertThat(NalUnits.splitAnnexB(HEX.parseHex("0000000001"))).isEmpty();
        assertThat(NalUnits.splitAnnexB(HEX.parseHex("000001000001")))
                .as("empty NAL units are skipped").isEmpty();
        assertThat(NalUnits.splitAnnexB(HEX.parseHex("0000000000016501"))).extracting(HEX::formatHex)
                .containsExactly("6501");
        // 00 00 03 inside a NAL unit is emulation prevention, not a start code
        assertThat(NalUnits.splitAnnexB(HEX.parseHex("000001650000030100"))).extracting(HEX::formatHex)
                .containsExactly("6500000301");
        assertThatThrownBy(() -> NalUnits.splitAnnexB(HEX.parseHex("0001650000016501")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("offset 1");
        assertThatThrownBy(() -> NalUnits.splitAnnexB(HEX.parseHex("6588")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("offset 0");
    }

    @Test
    void avccRoundTripsAndAnnexBConversions() {
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            List<byte[]> nals = randomNals(random);
            byte[] avcc = NalUnits.toAvcc(nals);
            assertThat(NalUnits.splitAvcc(avcc)).containsExactlyElementsOf(nals);
            byte[] annexB = NalUnits.avccToAnnexB(avcc);
            assertThat(NalUnits.annexBToAvcc(annexB)).isEqualTo(avcc);
            assertThat(NalUnits.splitAnnexB(annexB))
                    .containsExactlyElementsOf(nals);
        }
    }

    @Test
    void malformedAvccNamesTheOffset() {
        assertThatThrownBy(() -> NalUnits.splitAvcc(HEX.parseHex("00000001" + "65" + "000000")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("offset 5").hasMessageContaining("truncated");
        assertThatThrownBy(() -> NalUnits.splitAvcc(HEX.parseHex("00000002" + "6588" + "00000000")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("offset 6").hasMessageContaining("empty");
        assertThatThrownBy(() -> NalUnits.splitAvcc(HEX.parseHex("00000009" + "6588")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("offset 0")
                .hasMessageContaining("declares 9 bytes, only 2 remain");
        assertThatThrownBy(() -> NalUnits.splitAvcc(HEX.parseHex("ffffffff" + "6588")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("declares 4294967295");
        assertThatThrownBy(() -> NalUnits.toAvcc(List.of(new byte[0]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTruncationOfAvccFailsCleanlyOrParses() {
        byte[] avcc = NalUnits.toAvcc(List.of(HEX.parseHex("6742c01e"), HEX.parseHex("68ce3c80"), new byte[300]));
        for (int length = 0; length < avcc.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(avcc, length);
            int end = length;
            boolean onBoundary = end == 0 || end == 8 || end == 16;
            if (onBoundary) {
                assertThat(NalUnits.splitAvcc(cut)).hasSize(end / 8);
            } else {
                assertThatThrownBy(() -> NalUnits.splitAvcc(cut)).as("cut at %d", end)
                        .isInstanceOf(H264FormatException.class);
            }
        }
    }

    @Test
    void emulationPreventionRoundTrips() {
        byte[] rbsp = HEX.parseHex("67000001000000000300");
        byte[] escaped = HEX.parseHex("67000003010000030000030300");
        assertThat(NalUnits.addEmulationPrevention(rbsp)).isEqualTo(escaped);
        assertThat(NalUnits.removeEmulationPrevention(escaped, 0, escaped.length)).isEqualTo(rbsp);
        assertThat(NalUnits.removeEmulationPrevention(HEX.parseHex("ff67000003"), 1, 5))
                .as("a range, and a trailing 03 (cabac_zero_word)").isEqualTo(HEX.parseHex("670000"));
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            for (int j = 0; j < data.length; j++) {
                data[j] = (byte) (random.nextInt(3) == 0 ? random.nextInt(4) : 0); // plenty of 00 00 0x
            }
            byte[] framed = NalUnits.addEmulationPrevention(data);
            assertThat(HEX.formatHex(framed)).doesNotContainPattern("^(..)*0000(00|01|02)");
            assertThat(NalUnits.removeEmulationPrevention(framed, 0, framed.length)).isEqualTo(data);
        }
    }

    static List<byte[]> randomNals(Random random) {
        List<byte[]> nals = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream nal = new ByteArrayOutputStream();
            nal.write(random.nextInt(4) << 5 | (1 + random.nextInt(23)));
            int length = random.nextInt(200);
            for (int j = 0; j < length; j++) {
                nal.write(random.nextInt(4) == 0 ? 0 : random.nextInt(256));
            }
            byte[] bytes = nal.toByteArray();
            if (bytes[bytes.length - 1] == 0) {
                bytes[bytes.length - 1] = (byte) 0x80; // a NAL unit ends in its rbsp_stop_one_bit, never in 00
            }
            nals.add(NalUnits.addEmulationPrevention(bytes));
        }
        return nals;
    }
}
