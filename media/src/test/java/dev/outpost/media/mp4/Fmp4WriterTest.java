package dev.outpost.media.mp4;

import static dev.outpost.media.mp4.TestVideo.HD;
import static dev.outpost.media.mp4.TestVideo.PTS_BASE;
import static dev.outpost.media.mp4.TestVideo.STEP_15FPS;
import static dev.outpost.media.mp4.TestVideo.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class Fmp4WriterTest {

    @Test
    void initSegmentOpensWithCmafFileType() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);

        ByteBuffer expected = ByteBuffer.allocate(36).putInt(36).put(ascii("ftyp")).put(ascii("iso6")).putInt(0)
                .put(ascii("iso6")).put(ascii("cmfc")).put(ascii("avc1")).put(ascii("mp41")).put(ascii("dash"));
        assertThat(ByteBuffer.wrap(init, 0, 36)).isEqualTo(expected.flip());
    }

    @Test
    void initSegmentHasOneVideoTrackAndNoSamples() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);
        List<Box> top = BoxReader.boxes(init);

        assertThat(top).extracting(Box::type).containsExactly("ftyp", "moov");
        Box moov = top.get(1);
        assertThat(moov.children()).extracting(Box::type).containsExactly("mvhd", "trak", "mvex");
        Box trak = moov.require("trak");
        assertThat(trak.children()).extracting(Box::type).containsExactly("tkhd", "mdia");
        Box mdia = trak.require("mdia");
        assertThat(mdia.children()).extracting(Box::type).containsExactly("mdhd", "hdlr", "minf");
        Box minf = mdia.require("minf");
        assertThat(minf.children()).extracting(Box::type).containsExactly("vmhd", "dinf", "stbl");
        Box stbl = minf.require("stbl");
        assertThat(stbl.children()).extracting(Box::type).containsExactly("stsd", "stts", "stsc", "stsz", "stco");
        // MSE refuses an init segment whose tables list samples.
        for (String table : List.of("stts", "stsc", "stco")) {
            assertThat(content(init, stbl.require(table)).getInt(4)).as(table + " entry_count").isZero();
        }
        assertThat(content(init, stbl.require("stsz")).getInt(8)).as("stsz sample_count").isZero();
        ByteBuffer trex = content(init, moov.require("mvex").require("trex"));
        assertThat(trex.getInt(4)).as("trex track_ID").isEqualTo(1);
        ByteBuffer hdlr = content(init, mdia.require("hdlr"));
        assertThat(fourcc(hdlr, 8)).isEqualTo("vide");
    }

    @Test
    void sizeAndTimescaleAreWhereDecodersLook() {
        byte[] init = Fmp4Writer.initSegment(new StreamFormat(TestVideo.HIGH_SPS, TestVideo.PPS, 704, 576), 90_000);
        Box trak = BoxReader.boxes(init).get(1).require("trak");

        ByteBuffer tkhd = content(init, trak.require("tkhd"));
        assertThat(tkhd.getInt(0)).as("tkhd version 0, flags enabled|in_movie").isEqualTo(3);
        assertThat(tkhd.getInt(12)).as("track_ID").isEqualTo(1);
        assertThat(tkhd.getInt(76)).as("width 16.16").isEqualTo(704 << 16);
        assertThat(tkhd.getInt(80)).as("height 16.16").isEqualTo(576 << 16);
        ByteBuffer mdhd = content(init, trak.require("mdia").require("mdhd"));
        assertThat(mdhd.getInt(12)).as("timescale").isEqualTo(90_000);
        assertThat(mdhd.getShort(20)).as("language und").isEqualTo((short) 0x55C4);

        Box avc1 = sampleEntry(init, trak);
        assertThat(avc1.type()).isEqualTo("avc1");
        ByteBuffer entry = content(init, avc1);
        assertThat(entry.getShort(6)).as("data_reference_index").isEqualTo((short) 1);
        assertThat(entry.getShort(24)).as("width").isEqualTo((short) 704);
        assertThat(entry.getShort(26)).as("height").isEqualTo((short) 576);
        assertThat(entry.getShort(74)).as("depth").isEqualTo((short) 0x18);
    }

    @Test
    void avcConfigurationOfHighProfileCarriesChromaFormatAndBitDepth() {
        assertThat(avcC(HD)).isEqualTo(TestVideo.concat(
                bytes(1, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0, TestVideo.HIGH_SPS.length), TestVideo.HIGH_SPS,
                bytes(1, 0, TestVideo.PPS.length), TestVideo.PPS,
                bytes(0xFD, 0xF8, 0xF8, 0))); // 4:2:0, 8-bit luma and chroma, no SPS extensions
    }

    @Test
    void avcConfigurationOfBaselineEndsAfterThePps() {
        StreamFormat format = new StreamFormat(TestVideo.BASELINE_SPS, TestVideo.PPS, 640, 480);

        assertThat(avcC(format)).isEqualTo(TestVideo.concat(
                bytes(1, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0, TestVideo.BASELINE_SPS.length), TestVideo.BASELINE_SPS,
                bytes(1, 0, TestVideo.PPS.length), TestVideo.PPS));
    }

    @Test
    void avcConfigurationOfHigh422TenBitSaysSo() {
        byte[] avcC = avcC(new StreamFormat(TestVideo.HIGH_422_10BIT_SPS, TestVideo.PPS, 1920, 1080));

        assertThat(Arrays.copyOfRange(avcC, avcC.length - 4, avcC.length))
                .isEqualTo(bytes(0xFE, 0xFA, 0xFA, 0));
    }

    @Test
    void spsBitsSkipEmulationPreventionBytes() {
        // 16 zero bits, 0x03 inserted by the encoder, then the code's 1 and 16 zero bits: ue = 2^16 - 1.
        var bits = new AvcDecoderConfiguration.ExpGolomb(bytes(0x00, 0x00, 0x03, 0x80, 0x00, 0x00), 0);

        assertThat(bits.ue()).isEqualTo(65_535);
    }

    @Test
    void fragmentIsPrftMoofMdatByteForByte() {
        AccessUnit key = new AccessUnit(PTS_BASE, TestVideo.CAPTURE_BASE, true, bytes(0, 0, 0, 2, 0x65, 0x88));
        AccessUnit delta = new AccessUnit(PTS_BASE + STEP_15FPS, TestVideo.CAPTURE_BASE + 66_666, false,
                bytes(0, 0, 0, 3, 0x41, 0x9A, 0x02));

        byte[] fragment = Fmp4Writer.fragment(7, List.of(key, delta), PTS_BASE, OptionalLong.of(PTS_BASE + 12_000));

        long ntp = new ProducerReferenceTime(24, TestVideo.CAPTURE_BASE, 0).ntpTimestamp();
        ByteBuffer expected = ByteBuffer.allocate(32 + 112 + 8 + 13);
        expected.putInt(32).put(ascii("prft")).putInt(0x0100_0018).putInt(1).putLong(ntp).putLong(PTS_BASE);
        expected.putInt(112).put(ascii("moof"))
                .putInt(16).put(ascii("mfhd")).putInt(0).putInt(7)
                .putInt(88).put(ascii("traf"))
                .putInt(16).put(ascii("tfhd")).putInt(0x0002_0000).putInt(1)
                .putInt(20).put(ascii("tfdt")).putInt(0x0100_0000).putLong(PTS_BASE)
                .putInt(44).put(ascii("trun")).putInt(0x0000_0701).putInt(2).putInt(112 + 8)
                .putInt(6000).putInt(6).putInt(0x0200_0000) // keyframe: depends on nothing, sync
                .putInt(6000).putInt(7).putInt(0x0101_0000); // depends on others, not sync
        expected.putInt(8 + 13).put(ascii("mdat")).put(key.avcc()).put(delta.avcc());
        assertThat(fragment).isEqualTo(expected.array());
    }

    @Test
    void lastDurationRepeatsThePreviousWhenTheNextPtsIsUnknown() {
        List<AccessUnit> units = List.of(unit(0, true), unit(3000, false), unit(7000, false));

        Fragment fragment = Fragment.fromAccessUnits(1, units, 0, OptionalLong.empty(), 90_000);

        assertThat(fragment.samples()).extracting(Sample::duration).containsExactly(3000L, 4000L, 4000L);
        assertThat(fragment.endDecodeTime()).isEqualTo(11_000);
    }

    @Test
    void otherTimescalesConvertWithoutDrift() {
        List<AccessUnit> units = List.of(unit(0, true), unit(3003, false), unit(6006, false));

        Fragment fragment = Fragment.fromAccessUnits(1, units, 0, OptionalLong.of(9009), 1000);

        // 33.366 ms pictures at 1 kHz: 33, 33, 34 ms, ending where 9009 ticks end (100.1 ms, rounded down).
        assertThat(fragment.samples()).extracting(Sample::duration).containsExactly(33L, 33L, 34L);
    }

    @Test
    void compositionOffsetsAreWrittenSignedOnlyWhenPresent() {
        Fragment withOffsets = new Fragment(1, 0, List.of(
                new Sample(3000, 6000, true, bytes(0, 0, 0, 1, 0x65)),
                new Sample(3000, -3000, false, bytes(0, 0, 0, 1, 0x01))), Optional.empty());

        byte[] bytes = Fmp4Writer.fragment(withOffsets);

        List<Box> top = BoxReader.boxes(bytes);
        assertThat(top).extracting(Box::type).containsExactly("moof", "mdat");
        ByteBuffer trun = content(bytes, top.getFirst().require("traf").require("trun"));
        assertThat(trun.getInt(0)).as("version 1, flags").isEqualTo(0x0100_0F01);
        assertThat(trun.getInt(12 + 12)).isEqualTo(6000);
        assertThat(trun.getInt(12 + 16 + 12)).isEqualTo(-3000);
        Fragment back = BoxReader.readFragment(bytes);
        assertThat(back.samples()).extracting(Sample::compositionOffset).containsExactly(6000, -3000);
        assertThat(back.accessUnits(90_000)).extracting(AccessUnit::pts90k).containsExactly(6000L, 0L);
    }

    @Test
    void refusesWhatItCannotTime() {
        assertThatThrownBy(() -> Fmp4Writer.fragment(1, List.of(), 0, OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Fmp4Writer.fragment(1, List.of(unit(0, true), unit(0, false)), 0,
                OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B-frames");
        assertThatThrownBy(() -> Fmp4Writer.fragment(1, List.of(unit(6000, true), unit(3000, false)), 0,
                OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not after 6000");
        assertThatThrownBy(() -> Fmp4Writer.fragment(1, List.of(unit(0, true)), 0, OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the next pts");
        assertThatThrownBy(() -> Fmp4Writer.fragment(1, List.of(unit(0, true)), 0, OptionalLong.of(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("next pts 0");
        assertThatThrownBy(() -> Fmp4Writer.initSegment(new StreamFormat(TestVideo.HIGH_SPS, TestVideo.PPS,
                70_000, 576), 90_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bits");
    }

    @Test
    void fragmenterNumbersFragmentsAndKeepsTheCameraClock() {
        TrackFragmenter fragmenter = new TrackFragmenter(90_000);
        List<AccessUnit> units = TestVideo.units(4, 30, 1);

        Fragment first = BoxReader.readFragment(fragmenter.fragment(units.subList(0, 2), OptionalLong.empty()));
        Fragment lone = BoxReader.readFragment(fragmenter.fragment(units.subList(2, 3), OptionalLong.empty()));
        Fragment last = BoxReader.readFragment(fragmenter.fragment(units.subList(3, 4),
                OptionalLong.of(PTS_BASE + 4 * STEP_15FPS + 100)));

        assertThat(List.of(first, lone, last)).extracting(Fragment::sequenceNumber).containsExactly(1L, 2L, 3L);
        assertThat(List.of(first, lone, last)).extracting(Fragment::baseMediaDecodeTime)
                .containsExactly(PTS_BASE, PTS_BASE + 2 * STEP_15FPS, PTS_BASE + 3 * STEP_15FPS);
        assertThat(lone.samples().getFirst().duration()).as("carried over").isEqualTo(STEP_15FPS);
        assertThat(last.samples().getFirst().duration()).isEqualTo(STEP_15FPS + 100);
        assertThat(fragmenter.nextSequenceNumber()).isEqualTo(4);
        assertThatThrownBy(() -> fragmenter.fragment(units.subList(0, 1), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not after");
        assertThatThrownBy(() -> new TrackFragmenter(90_000).fragment(units.subList(0, 1), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the next pts");
    }

    @Test
    void ntpTimestampsRoundTripToTheMicrosecond() {
        assertThat(new ProducerReferenceTime(24, 0, 0).ntpTimestamp()).isEqualTo(2_208_988_800L << 32);
        assertThat(new ProducerReferenceTime(24, 500_000, 0).ntpTimestamp())
                .isEqualTo(2_208_988_800L << 32 | 0x8000_0000L);
        // Era 1 starts 2036-02-07T06:28:16Z, where the 32-bit NTP seconds wrap to 0.
        long era1 = (1L << 32) - ProducerReferenceTime.NTP_UNIX_OFFSET;
        assertThat(new ProducerReferenceTime(24, era1 * 1_000_000, 0).ntpTimestamp()).isZero();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long micros = ProducerReferenceTime.MIN_UNIX_SECONDS * 1_000_000L + (long) (random.nextDouble()
                    * (ProducerReferenceTime.MAX_UNIX_SECONDS - ProducerReferenceTime.MIN_UNIX_SECONDS) * 1e6);
            long ntp = new ProducerReferenceTime(24, micros, 0).ntpTimestamp();
            assertThat(ProducerReferenceTime.microsOfNtp(ntp)).isEqualTo(micros);
        }
        assertThatThrownBy(() -> new ProducerReferenceTime(24, 5_000_000_000L * 1_000_000, 0))
                .hasMessageContaining("1968 to 2104");
    }

    static AccessUnit unit(long pts, boolean key) {
        return new AccessUnit(pts, 1_000_000 + pts, key, bytes(0, 0, 0, 1, key ? 0x65 : 0x41));
    }

    static byte[] avcC(StreamFormat format) {
        byte[] init = Fmp4Writer.initSegment(format, 90_000);
        Box avc1 = sampleEntry(init, BoxReader.boxes(init).get(1).require("trak"));
        // The avcC box follows the 78 bytes of VisualSampleEntry fields.
        ByteBuffer avcC = ByteBuffer.wrap(init, (int) avc1.contentOffset() + 78, (int) avc1.contentSize() - 78)
                .slice();
        assertThat(fourcc(avcC, 4)).isEqualTo("avcC");
        assertThat(avcC.getInt(0)).as("avcC size: the last box of the entry").isEqualTo(avcC.capacity());
        return Arrays.copyOfRange(init, (int) avc1.contentOffset() + 86, (int) avc1.end());
    }

    static Box sampleEntry(byte[] init, Box trak) {
        Box stsd = trak.require("mdia").require("minf").require("stbl").require("stsd");
        assertThat(content(init, stsd).getInt(4)).as("entry_count").isEqualTo(1);
        List<Box> entries = BoxReader.boxes(Arrays.copyOfRange(init, (int) stsd.contentOffset() + 8,
                (int) stsd.end()));
        Box entry = entries.getFirst();
        return new Box(entry.type(), entry.offset() + stsd.contentOffset() + 8, entry.size(), entry.headerSize(),
                List.of());
    }

    static ByteBuffer content(byte[] data, Box box) {
        return ByteBuffer.wrap(data, (int) box.contentOffset(), (int) box.contentSize()).slice();
    }

    static String fourcc(ByteBuffer b, int at) {
        byte[] type = new byte[4];
        b.get(at, type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
