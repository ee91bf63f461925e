package dev.outpost.media.mp4;

import static dev.outpost.media.mp4.TestVideo.HD;
import static dev.outpost.media.mp4.TestVideo.PTS_BASE;
import static dev.outpost.media.mp4.TestVideo.STEP_15FPS;
import static dev.outpost.media.mp4.TestVideo.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoxReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"high", "baseline", "high422"})
    void initSegmentRoundTrips(String profile) {
        byte[] sps = switch (profile) {
            case "high" -> TestVideo.HIGH_SPS;
            case "baseline" -> TestVideo.BASELINE_SPS;
            default -> TestVideo.HIGH_422_10BIT_SPS;
        };
        StreamFormat format = new StreamFormat(sps, TestVideo.PPS, 704, 576);

        InitSegment init = BoxReader.readInitSegment(Fmp4Writer.initSegment(format, 90_000));

        assertThat(init.timescale()).isEqualTo(90_000);
        assertThat(init.format().sps()).isEqualTo(sps);
        assertThat(init.format().pps()).isEqualTo(TestVideo.PPS);
        assertThat(init.format().width()).isEqualTo(704);
        assertThat(init.format().height()).isEqualTo(576);
        assertThat(init.format().codec()).isEqualTo(format.codec());
    }

    @Test
    void fragmentRoundTripsItsAccessUnits() {
        List<AccessUnit> units = TestVideo.units(20, 10, 42);
        long nextPts = PTS_BASE + 20 * STEP_15FPS;

        byte[] bytes = Fmp4Writer.fragment(9, units, PTS_BASE, OptionalLong.of(nextPts));
        Fragment fragment = BoxReader.readFragment(bytes);

        assertThat(fragment.sequenceNumber()).isEqualTo(9);
        assertThat(fragment.baseMediaDecodeTime()).isEqualTo(PTS_BASE);
        assertThat(fragment.endDecodeTime()).isEqualTo(nextPts);
        assertThat(fragment.producerReferenceTime()).contains(
                new ProducerReferenceTime(ProducerReferenceTime.REAL_TIME, TestVideo.CAPTURE_BASE, PTS_BASE));
        assertSameUnits(fragment.accessUnits(90_000), units);
    }

    @Test
    void captureTimesAfterTheFirstFollowTheMediaClock() {
        // A camera's capture clock wobbles against its RTP clock; MP4 keeps the first capture time exactly.
        List<AccessUnit> units = List.of(
                new AccessUnit(PTS_BASE, 5_000_000, true, TestVideo.bytes(0, 0, 0, 1, 0x65)),
                new AccessUnit(PTS_BASE + 9000, 5_100_700, false, TestVideo.bytes(0, 0, 0, 1, 0x41)));

        Fragment fragment = BoxReader.readFragment(Fmp4Writer.fragment(1, units, 0, OptionalLong.of(PTS_BASE + 18_000)));

        assertThat(fragment.accessUnits(90_000)).extracting(AccessUnit::captureMicros)
                .containsExactly(5_000_000L, 5_100_000L);
        assertThat(fragment.accessUnits(90_000)).extracting(AccessUnit::pts90k).containsExactly(0L, 9000L);
    }

    @Test
    void aRecordingIsAnInitSegmentAndFragments() {
        List<AccessUnit> units = TestVideo.units(45, 30, 3);
        TrackFragmenter fragmenter = new TrackFragmenter(90_000);
        List<byte[]> parts = new ArrayList<>();
        parts.add(Fmp4Writer.initSegment(HD, 90_000));
        for (int from = 0; from < 45; from += 15) {
            OptionalLong next = from + 15 < 45 ? OptionalLong.of(units.get(from + 15).pts90k()) : OptionalLong.empty();
            parts.add(fragmenter.fragment(units.subList(from, from + 15), next));
        }
        byte[] file = concat(parts.toArray(byte[][]::new));

        assertThat(BoxReader.readInitSegment(file).format().sps()).isEqualTo(HD.sps());
        List<Fragment> fragments = BoxReader.readFragments(file);
        assertThat(fragments).extracting(Fragment::sequenceNumber).containsExactly(1L, 2L, 3L);
        assertThat(fragments.get(1).baseMediaDecodeTime()).isEqualTo(fragments.get(0).endDecodeTime());
        assertThat(fragments.get(2).baseMediaDecodeTime()).isEqualTo(fragments.get(1).endDecodeTime());
        assertSameUnits(fragments.stream().flatMap(f -> f.accessUnits(90_000).stream()).toList(), units);
    }

    @Test
    void aRecordingCutShortStillGivesItsFormatAndSaysWhereItBreaks() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);
        byte[] first = Fmp4Writer.fragment(1, TestVideo.units(5, 30, 4), PTS_BASE, OptionalLong.empty());
        byte[] second = Fmp4Writer.fragment(2, TestVideo.units(5, 30, 5), PTS_BASE, OptionalLong.empty());
        byte[] file = concat(init, first, Arrays.copyOf(second, second.length - 100));

        assertThat(BoxReader.readInitSegment(file).format().width()).isEqualTo(1280);
        Mp4FormatException e = catchThrowableOfType(() -> BoxReader.readFragments(file));
        // The second fragment's mdat is the box cut short.
        assertThat(e.offset()).isEqualTo(file.length - (second.length - 100) + lastBoxOffset(second));
        assertThat(e).hasMessageContaining("'mdat' box").hasMessageContaining("runs past the end of the data");
    }

    @Test
    void sizeBelowTheHeaderIsRefusedWithItsOffset() {
        byte[] data = concat(box("free", new byte[4]), ByteBuffer.allocate(8).putInt(4).put(ascii("skip")).array());

        assertThatThrownBy(() -> BoxReader.boxes(data))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessage("offset 12: 'skip' box has size 4, less than its 8-byte header")
                .extracting(e -> ((Mp4FormatException) e).offset()).isEqualTo(12L);
    }

    @Test
    void sizePastTheEndIsRefused() {
        byte[] data = ByteBuffer.allocate(20).putInt(100).put(ascii("mdat")).array();

        assertThatThrownBy(() -> BoxReader.boxes(data))
                .hasMessage("offset 0: 'mdat' box of 100 bytes runs past the end of the data (20 bytes left)");
    }

    @Test
    void aChildPastItsParentIsRefused() {
        byte[] child = ByteBuffer.allocate(16).putInt(24).put(ascii("trak")).array();
        byte[] data = box("moov", child);

        assertThatThrownBy(() -> BoxReader.boxes(data))
                .hasMessage("offset 8: 'trak' box of 24 bytes runs past the end of its parent (16 bytes left)");
    }

    @Test
    void sixtyFourBitSizesAreRead() {
        byte[] large = ByteBuffer.allocate(24).putInt(1).put(ascii("mdat")).putLong(24).putLong(7).array();
        List<Box> boxes = BoxReader.boxes(concat(large, box("free", new byte[2])));

        assertThat(boxes).extracting(Box::type).containsExactly("mdat", "free");
        assertThat(boxes.getFirst().headerSize()).isEqualTo(16);
        assertThat(boxes.getFirst().contentSize()).isEqualTo(8);
        assertThat(boxes.get(1).offset()).isEqualTo(24);

        byte[] tooSmall = ByteBuffer.allocate(16).putInt(1).put(ascii("mdat")).putLong(12).array();
        assertThatThrownBy(() -> BoxReader.boxes(tooSmall)).hasMessageContaining("size 12, less than its 16-byte");
        byte[] huge = ByteBuffer.allocate(16).putInt(1).put(ascii("mdat")).putLong(1L << 40).array();
        assertThatThrownBy(() -> BoxReader.boxes(huge)).hasMessageContaining("runs past the end of the data");
        byte[] negative = ByteBuffer.allocate(16).putInt(1).put(ascii("mdat")).putLong(-1).array();
        assertThatThrownBy(() -> BoxReader.boxes(negative)).hasMessageContaining("past 2^63");
        byte[] cut = ByteBuffer.allocate(12).putInt(1).put(ascii("mdat")).array();
        assertThatThrownBy(() -> BoxReader.boxes(cut)).hasMessageContaining("64-bit size but only 12 bytes");
    }

    @Test
    void sizeZeroRunsToTheEndOnlyAtTheTop() {
        byte[] last = ByteBuffer.allocate(30).putInt(0).put(ascii("mdat")).array();
        assertThat(BoxReader.boxes(concat(box("free", new byte[0]), last)).get(1).size()).isEqualTo(30);

        byte[] nested = box("moov", ByteBuffer.allocate(8).putInt(0).put(ascii("trak")).array());
        assertThatThrownBy(() -> BoxReader.boxes(nested)).hasMessageContaining("only a top-level box may have");
    }

    @Test
    void uuidBoxesHaveTheirExtendedTypeInTheHeader() {
        byte[] uuid = ByteBuffer.allocate(28).putInt(28).put(ascii("uuid")).put(new byte[16]).putInt(1).array();
        assertThat(BoxReader.boxes(uuid).getFirst().headerSize()).isEqualTo(24);

        byte[] tooShort = ByteBuffer.allocate(20).putInt(20).put(ascii("uuid")).array();
        assertThatThrownBy(() -> BoxReader.boxes(tooShort)).hasMessageContaining("less than its 24-byte header");
    }

    @Test
    void trailingBytesTooFewForAHeaderAreRefused() {
        byte[] data = concat(box("free", new byte[1]), new byte[5]);

        assertThatThrownBy(() -> BoxReader.boxes(data)).hasMessage("offset 9: 5 bytes left, too few for a box header (8)");
    }

    @Test
    void absurdNestingIsRefused() {
        byte[] nested = new byte[0];
        for (int i = 0; i < 40; i++) {
            nested = box("moov", nested);
        }
        byte[] data = nested;

        assertThatThrownBy(() -> BoxReader.boxes(data))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessage("offset " + 8 * (BoxReader.MAX_DEPTH + 1) + ": boxes nested deeper than "
                        + BoxReader.MAX_DEPTH);
    }

    @Test
    void aSampleCountBeyondTheBoxIsRefusedBeforeAllocating() {
        byte[] fragment = Fmp4Writer.fragment(1, TestVideo.units(3, 30, 6), 0, OptionalLong.empty());
        int trun = indexOf(fragment, "trun") - 4;
        ByteBuffer.wrap(fragment).putInt(trun + 12, Integer.MAX_VALUE);

        assertThatThrownBy(() -> BoxReader.readFragment(fragment))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("offset " + (trun + 12) + ": 'trun' box: 2147483647 samples do not fit");
    }

    @Test
    void sampleDataOutsideTheMdatIsRefused() {
        byte[] fragment = Fmp4Writer.fragment(1, TestVideo.units(3, 30, 7), 0, OptionalLong.empty());
        int trun = indexOf(fragment, "trun") - 4;
        ByteBuffer buf = ByteBuffer.wrap(fragment);

        buf.putInt(trun + 16, 8); // data offset into the moof itself
        assertThatThrownBy(() -> BoxReader.readFragment(fragment)).hasMessageContaining("is not inside an 'mdat' box");
        buf.putInt(trun + 16, 1 << 30);
        assertThatThrownBy(() -> BoxReader.readFragment(fragment)).hasMessageContaining("lies outside the data");
        buf.putInt(trun + 16, -1 << 30);
        assertThatThrownBy(() -> BoxReader.readFragment(fragment)).hasMessageContaining("lies outside the data");
    }

    @Test
    void fragmentsPointingAtOneMdatCannotMultiplyMemory() {
        // Many moofs, each naming all of one shared mdat: reading must not copy it once per moof.
        byte[] one = Fmp4Writer.fragment(1, List.of(new AccessUnit(0, 0, true, new byte[4000])), 0,
                OptionalLong.of(3000));
        int mdatAt = indexOf(one, "mdat") - 4;
        byte[] moof = Arrays.copyOfRange(one, 0, mdatAt);
        int prftSize = ByteBuffer.wrap(one).getInt(0);
        byte[] moofOnly = Arrays.copyOfRange(moof, prftSize, moof.length);
        List<byte[]> parts = new ArrayList<>();
        int moofs = 20;
        for (int i = 0; i < moofs; i++) {
            byte[] copy = moofOnly.clone();
            int trun = indexOf(copy, "trun") - 4;
            // Each moof's data offset reaches past the moofs after it to the shared mdat's payload.
            ByteBuffer.wrap(copy).putInt(trun + 16, (moofs - i) * moofOnly.length + 8);
            parts.add(copy);
        }
        parts.add(Arrays.copyOfRange(one, mdatAt, one.length));
        byte[] data = concat(parts.toArray(byte[][]::new));

        assertThatThrownBy(() -> BoxReader.readFragments(data)).hasMessageContaining("they overlap");
    }

    @Test
    void initSegmentsWithoutH264AreRefused() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);
        byte[] hevc = init.clone();
        int avc1 = indexOf(hevc, "avc1", indexOf(hevc, "moov")); // not the ftyp brand
        System.arraycopy(ascii("hvc1"), 0, hevc, avc1, 4);
        assertThatThrownBy(() -> BoxReader.readInitSegment(hevc))
                .hasMessage("offset " + (avc1 - 4) + ": sample entry 'hvc1' is not H.264 (avc1 or avc3)");

        byte[] noAvcC = init.clone();
        System.arraycopy(ascii("avcX"), 0, noAvcC, indexOf(noAvcC, "avcC"), 4);
        assertThatThrownBy(() -> BoxReader.readInitSegment(noAvcC)).hasMessageContaining("has no 'avcC' box");

        byte[] sound = init.clone();
        System.arraycopy(ascii("soun"), 0, sound, indexOf(sound, "vide"), 4);
        assertThatThrownBy(() -> BoxReader.readInitSegment(sound)).hasMessageContaining("has no video track");

        assertThatThrownBy(() -> BoxReader.readInitSegment(box("free", new byte[3])))
                .hasMessageContaining("no 'moov' box");
    }

    @Test
    void everyTruncationFailsCleanly() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);
        byte[] fragment = Fmp4Writer.fragment(1, TestVideo.units(4, 2, 8), PTS_BASE, OptionalLong.empty());

        for (int length = 0; length < init.length; length++) {
            byte[] cut = Arrays.copyOf(init, length);
            assertThat(catchThrowable(() -> BoxReader.readInitSegment(cut))).as("init cut to %d", length)
                    .isInstanceOf(Mp4FormatException.class);
        }
        for (int length = 0; length < fragment.length; length++) {
            byte[] cut = Arrays.copyOf(fragment, length);
            assertThat(catchThrowable(() -> BoxReader.readFragment(cut))).as("fragment cut to %d", length)
                    .isInstanceOf(Mp4FormatException.class);
        }
    }

    @Test
    void randomDamageGivesAFormatErrorOrAFragmentNeverAnotherException() {
        byte[] init = Fmp4Writer.initSegment(HD, 90_000);
        byte[] fragment = Fmp4Writer.fragment(1, TestVideo.units(6, 3, 9), PTS_BASE, OptionalLong.empty());
        Random random = new Random(20_240_611);
        for (int i = 0; i < 20_000; i++) {
            boolean initCase = i % 2 == 0;
            byte[] damaged = (initCase ? init : fragment).clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int at = random.nextInt(damaged.length);
                // Half the time hit the size and count fields, where the damage that matters lands.
                damaged[at] = random.nextBoolean() ? (byte) random.nextInt(256)
                        : (byte) (random.nextBoolean() ? 0xFF : random.nextInt(4));
            }
            try {
                if (initCase) {
                    BoxReader.readInitSegment(damaged);
                } else {
                    BoxReader.readFragments(damaged);
                }
            } catch (Mp4FormatException expected) {
                assertThat(expected.getMessage()).startsWith("offset ");
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("damage case " + i + " threw " + e, e);
            }
        }
    }

    static void assertSameUnits(List<AccessUnit> actual, List<AccessUnit> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            AccessUnit a = actual.get(i);
            AccessUnit e = expected.get(i);
            assertThat(a.pts90k()).as("pts of %d", i).isEqualTo(e.pts90k());
            assertThat(a.captureMicros()).as("capture time of %d", i).isEqualTo(e.captureMicros());
            assertThat(a.keyframe()).as("keyframe %d", i).isEqualTo(e.keyframe());
            assertThat(a.avcc()).as("avcc of %d", i).isEqualTo(e.avcc());
        }
    }

    private static Mp4FormatException catchThrowableOfType(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(Mp4FormatException.class);
        return (Mp4FormatException) t;
    }

    private static long lastBoxOffset(byte[] data) {
        List<Box> boxes = BoxReader.boxes(data);
        return boxes.getLast().offset();
    }

    static int indexOf(byte[] data, String type) {
        return indexOf(data, type, 0);
    }

    static int indexOf(byte[] data, String type, int from) {
        byte[] t = ascii(type);
        outer:
        for (int i = from; i + 4 <= data.length; i++) {
            for (int j = 0; j < 4; j++) {
                if (data[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(type + " not found");
    }

    static byte[] box(String type, byte[] content) {
        return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length).put(ascii(type)).put(content).array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
