package dev.outpost.media.h264;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Real sequence parameter sets, with the size, profile, level and rate FFmpeg's ffprobe reports for them.
 * Most were made by FFmpeg 7 with libx264 from lavfi's testsrc, for example
 * {@code ffmpeg -f lavfi -i testsrc=size=1280x720:rate=15 -pix_fmt yuv420p -c:v libx264 -t 0.2 -f h264 out.h264}
 * and the SPS cut from the Annex B output; "hand" ones were written with {@link SpsWriter}'s layout to
 * reach structures x264 never writes (SPS scaling lists, pic_order_cnt_type 1, no VUI), then checked with
 * {@code -bsf:v trace_headers} (the 1080p one replaced the SPS of a real stream, which still decoded).
 */
class SpsParserTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # name                            | SPS                                                              | width | height | profile | level | fps    | progressive | chroma
            720p High                         | 6764001facd9405005bb0110000003001000000301e0f1831960             | 1280  | 720    | 100     | 31    | 15     | true        | 1
            4MP 2560x1440 Main                | 674d4032eca014005ad808800000030080000014078c18cb                 | 2560  | 1440   | 77      | 50    | 20     | true        | 1
            D1 704x576 interlaced             | 674d401eeca058126c0440000003004000000c87c50a6580                 | 704   | 576    | 77      | 30    | 25     | false       | 1
            NTSC 704x480 29.97                | 674d401eeca0581ed808800001f480007530078b16cb                     | 704   | 480    | 77      | 30    | 29.97  | true        | 1
            1080p Baseline, 1088 cropped      | 6742c028d900780227e5c044000003000400000300c83c60c920             | 1920  | 1080   | 66      | 40    | 25     | true        | 1
            1080i High, 1088 cropped in fields| 67640028acd94078044fde0220000003002000000643e2c5b2c0             | 1920  | 1080   | 100     | 40    | 25     | false       | 1
            360p High, 368 cropped            | 6764001eacd940a02ff970110000030001000003003c0f162d96             | 640   | 360    | 100     | 30    | 30     | true        | 1
            4:4:4 1281x721, 1-pixel crop units| 67f40020919b280a20bbc210860220000003002000000781e30632c0         | 1281  | 721    | 244     | 32    | 30     | true        | 3
            4:2:2 1080p                       | 677a0028bcd940780227e270110000030001000003003c0f183196           | 1920  | 1080   | 122     | 40    | 30     | true        | 2
            High 10 720p                      | 676e001fa6cd9405005bb011000003000100000300320f183196             | 1280  | 720    | 110     | 31    | 25     | true        | 1
            Hikvision-style 1080p, no timing  | 674d002a963540f0044fcb3701010102                                 | 1920  | 1080   | 77      | 42    | -1     | true        | 1
            VGA Baseline, no timing           | 67420029e2901407b602dc04040690789115                             | 640   | 480    | 66      | 41    | -1     | true        | 1
            hand: Main, POC type 1, no VUI    | 674d001fd0e2888a0320a02802dc80                                   | 1280  | 720    | 77      | 31    | -1     | true        | 1
            """)
    void realParameterSets(String name, String hex, int width, int height, int profile, int level, double fps,
                           boolean progressive, int chroma) {
        SequenceParameterSet sps = SpsParser.parse(HEX.parseHex(hex));
        assertThat(sps.width()).isEqualTo(width);
        assertThat(sps.height()).isEqualTo(height);
        assertThat(sps.profileIdc()).isEqualTo(profile);
        assertThat(sps.levelIdc()).isEqualTo(level);
        assertThat(sps.frameMbsOnly()).isEqualTo(progressive);
        assertThat(sps.chromaFormatIdc()).isEqualTo(chroma);
        if (fps < 0) {
            assertThat(sps.frameRate()).isEmpty();
        } else {
            assertThat(sps.frameRate().orElseThrow()).isCloseTo(fps, within(0.005));
        }
    }

    @Test
    void scalingListsAreSkippedExactly() {
        // hand: High 1080p, SPS scaling lists: a full 4x4, two "use default" (delta -8 at j=0), a flat 16,
        // a full random 8x8; ffprobe: 1920x1080, 25 fps, and the stream decodes with it.
        SequenceParameterSet sps = SpsParser.parse(HEX.parseHex("67640028ad8200b82004004d406004a0e41107008a0e81385c"
                + "d08a10fffe406809016a05802680ec02180bb03c808701c605b011c034185c05d03a01f2403080b304e07e02d80fb0134023"
                + "80a0042011e033006c80e801120208041011402020a407a141100e702f008f01d00540168010101fc038c06a809602f01341"
                + "b80b201da04e07802b80788318476501e0089f97ff00040003b5010101f00000030010000003032840"));
        assertThat(sps.width()).isEqualTo(1920);
        assertThat(sps.height()).isEqualTo(1080);
        assertThat(sps.frameRate()).hasValue(25.0);
    }

    @Test
    void fourFourFourScalingListsAreTwelve() {
        // hand: High 4:4:4 Predictive with 12 scaling lists (two of them 8x8 chroma), 1281x721, 29.97 fps.
        SequenceParameterSet sps = SpsParser.parse(HEX.parseHex("67f4002891b0880808a0d80e9018c03e41500ee02a80fe011e"
                + "0740880c401dc0318048814c05200be0601801940c404180d301aa06303880e304a030c14809701a002840d6200e00b03e"
                + "03f8700b4016207e0660a80e002c406381d4040013405401a00e4110198c05484406480ac04a426028409003040aa0378"
                + "05580ff03880a7014e0ac07a83902f80e201fe030806f814007380f702880c901fa04c603d42e030406b82c0120190260"
                + "08b0196020805280c701bc028c04580da012a037405f00a603400fe01b20230158230603c1500da01b607101e402c00fa"
                + "034765014417784210ffc0010000ed4040407c00000fa40003a9821"));
        assertThat(sps.chromaFormatIdc()).isEqualTo(3);
        assertThat(sps.width()).isEqualTo(1281);
        assertThat(sps.height()).isEqualTo(721);
        assertThat(sps.frameRate().orElseThrow()).isCloseTo(29.97, within(0.001));
    }

    @Test
    void randomlyWrittenParameterSetsParseBack() {
        Random random = new Random(2026);
        int[] profiles = {66, 77, 88, 100, 110, 122, 244, 44, 83, 86, 118, 128};
        for (int i = 0; i < 3000; i++) {
            SpsWriter w = new SpsWriter(random);
            w.profileIdc = profiles[random.nextInt(profiles.length)];
            w.constraintFlags = random.nextInt(256);
            w.levelIdc = random.nextInt(256);
            w.id = random.nextInt(32);
            boolean high = w.profileIdc >= 100 || w.profileIdc == 44 || w.profileIdc == 83 || w.profileIdc == 86;
            w.chromaFormatIdc = high ? random.nextInt(4) : 1;
            w.separateColourPlanes = w.chromaFormatIdc == 3 && random.nextBoolean();
            w.bitDepthLumaMinus8 = high ? random.nextInt(7) : 0;
            w.scalingMatrix = high && random.nextBoolean();
            w.picOrderCntType = random.nextInt(3);
            w.pocCycle = random.nextInt(10) == 0 ? 255 : random.nextInt(4);
            w.widthMbs = 1 + random.nextInt(SpsParser.MAX_MBS);
            w.heightMapUnits = 1 + random.nextInt(SpsParser.MAX_MBS);
            w.frameMbsOnly = random.nextBoolean();
            int chromaArrayType = w.separateColourPlanes ? 0 : w.chromaFormatIdc;
            int unitX = chromaArrayType == 0 || w.chromaFormatIdc == 3 ? 1 : 2;
            int unitY = (chromaArrayType == 1 ? 2 : 1) * (w.frameMbsOnly ? 1 : 2);
            int codedWidth = w.widthMbs * 16;
            int codedHeight = w.heightMapUnits * 16 * (w.frameMbsOnly ? 1 : 2);
            int expectedWidth = codedWidth;
            int expectedHeight = codedHeight;
            if (random.nextBoolean()) {
                int horizontal = random.nextInt(codedWidth / unitX); // leaves at least one unit
                int vertical = random.nextInt(codedHeight / unitY);
                int left = random.nextInt(horizontal + 1);
                int top = random.nextInt(vertical + 1);
                w.crop = new int[] {left, horizontal - left, top, vertical - top};
                expectedWidth -= unitX * horizontal;
                expectedHeight -= unitY * vertical;
            }
            w.vui = random.nextBoolean();
            w.aspectRatio = random.nextBoolean();
            w.videoSignal = random.nextBoolean();
            w.chromaLoc = random.nextBoolean();
            w.numUnitsInTick = 1 + random.nextInt(Integer.MAX_VALUE);
            w.timeScale = random.nextBoolean() ? 1L + random.nextInt(Integer.MAX_VALUE) + random.nextInt(Integer.MAX_VALUE) : 0;
            byte[] nal = w.write();

            SequenceParameterSet sps = SpsParser.parse(nal);
            String replay = "case " + i + ": " + HEX.formatHex(nal);
            assertThat(sps.profileIdc()).as(replay).isEqualTo(w.profileIdc);
            assertThat(sps.constraintFlags()).as(replay).isEqualTo(w.constraintFlags);
            assertThat(sps.levelIdc()).as(replay).isEqualTo(w.levelIdc);
            assertThat(sps.id()).as(replay).isEqualTo(w.id);
            assertThat(sps.chromaFormatIdc()).as(replay).isEqualTo(w.chromaFormatIdc);
            assertThat(sps.bitDepthLuma()).as(replay).isEqualTo(8 + w.bitDepthLumaMinus8);
            assertThat(sps.width()).as(replay).isEqualTo(expectedWidth);
            assertThat(sps.height()).as(replay).isEqualTo(expectedHeight);
            if (w.vui && w.timeScale > 0) {
                assertThat(sps.frameRate().orElseThrow()).as(replay)
                        .isEqualTo(w.timeScale / (2.0 * w.numUnitsInTick));
            } else {
                assertThat(sps.frameRate()).as(replay).isEmpty();
            }
        }
    }

    @Test
    void emulationPreventionIsRemovedBeforeParsing() {
        // The 720p SPS holds 00 00 03 twice, in its VUI timing fields: read raw, the frame rate would be wrong.
        byte[] nal = HEX.parseHex("6764001facd9405005bb0110000003001000000301e0f1831960");
        assertThat(HEX.formatHex(nal)).contains("000003");
        assertThat(SpsParser.parse(nal).frameRate()).hasValue(15.0);
    }

    @Test
    void malformedParameterSetsNameTheField() {
        assertThatThrownBy(() -> SpsParser.parse(HEX.parseHex("6764")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("shorter than its 4-byte header");
        assertThatThrownBy(() -> SpsParser.parse(HEX.parseHex("68ce3c80")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("type 8");
        assertThatThrownBy(() -> SpsParser.parse(HEX.parseHex("e764001f")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("forbidden_zero_bit");
        assertThatThrownBy(() -> SpsParser.parse(HEX.parseHex("6764001f")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("seq_parameter_set_id at bit 32");
        assertThatThrownBy(() -> SpsParser.parse(HEX.parseHex("6764001f0000000000")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("Exp-Golomb");

        SpsWriter chroma = new SpsWriter(new Random(1));
        chroma.chromaFormatIdc = 4;
        assertThatThrownBy(() -> SpsParser.parse(chroma.write()))
                .isInstanceOf(H264FormatException.class)
                .hasMessageContaining("chroma_format_idc at bit 33 is 4, outside 0..3");

        SpsWriter crop = new SpsWriter(new Random(1));
        crop.crop = new int[] {0, 0, 600, 0}; // 4:2:0 progressive: 600 two-row crop units are more than 1088 rows
        assertThatThrownBy(() -> SpsParser.parse(crop.write()))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("frame cropping")
                .hasMessageContaining("1920x1088");

        SpsWriter wide = new SpsWriter(new Random(1));
        wide.widthMbs = SpsParser.MAX_MBS + 1;
        assertThatThrownBy(() -> SpsParser.parse(wide.write()))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("pic_width_in_mbs_minus1");
    }

    @Test
    void everyTruncationFailsCleanlyOrLosesOnlyTheFrameRate() {
        byte[] nal = HEX.parseHex("6764001facd9405005bb0110000003001000000301e0f1831960");
        int sizeKnownAt = -1;
        for (int length = 0; length < nal.length; length++) {
            byte[] cut = Arrays.copyOf(nal, length);
            try {
                SequenceParameterSet sps = SpsParser.parse(cut);
                assertThat(sps.width()).isEqualTo(1280);
                assertThat(sps.height()).isEqualTo(720);
                if (sizeKnownAt < 0) {
                    sizeKnownAt = length;
                }
            } catch (H264FormatException expected) {
                assertThat(sizeKnownAt).as("a longer prefix failed after a shorter one parsed").isNegative();
                assertThat(expected).hasMessageContaining("SPS");
            }
        }
        assertThat(sizeKnownAt).as("the size is read before the VUI").isBetween(8, nal.length - 1);
    }

    @Test
    void mutatedParameterSetsFailOnlyWithFormatErrors() {
        Random random = new Random(99);
        byte[][] seeds = {
                HEX.parseHex("6764001facd9405005bb0110000003001000000301e0f1831960"),
                HEX.parseHex("67f40020919b280a20bbc210860220000003002000000781e30632c0"),
                HEX.parseHex("674d401eeca058126c0440000003004000000c87c50a6580"),
        };
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] nal = seeds[i % seeds.length].clone();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                int at = 1 + random.nextInt(nal.length - 1);
                nal[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (nal[at] ^ (1 << random.nextInt(8)));
            }
            if (random.nextInt(4) == 0) {
                nal = Arrays.copyOf(nal, 1 + random.nextInt(nal.length + 8));
            }
            try {
                SequenceParameterSet sps = SpsParser.parse(nal);
                assertThat(sps.width()).isPositive().isLessThanOrEqualTo(SpsParser.MAX_MBS * 16);
                assertThat(sps.height()).isPositive().isLessThanOrEqualTo(SpsParser.MAX_MBS * 32);
                parsed++;
            } catch (H264FormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(parsed).as("some mutations still parse").isGreaterThan(100);
    }
}
