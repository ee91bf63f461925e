package dev.outpost.recorder.playback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.InitSegment;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.recorder.recording.Segment;
import dev.outpost.recorder.recording.TestVideo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybackFeedTest {
    private static final int GOP = 30;

    @TempDir
    Path root;

    /** Records {@code pictures} (made by {@code picture}) of camera "cam" and returns its index once written. */
    private RecordingIndex record(int count, IntFunction<AccessUnit> picture) {
        return record(TestVideo.FORMAT, count, picture);
    }

    private RecordingIndex record(StreamFormat format, int count, IntFunction<AccessUnit> picture) {
        Recordings recordings = Recordings.open(root, RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(3650)), Clock.systemUTC());
        RecordingSink sink = recordings.sink("cam", StreamKind.MAIN);
        sink.onFormat(format);
        for (int i = 0; i < count; i++) {
            sink.onAccessUnit(picture.apply(i));
        }
        RecordingIndex index = recordings.index("cam", StreamKind.MAIN).orElseThrow();
        recordings.close(); // everything queued is written
        return index;
    }

    private RecordingIndex recordSynthetic(int count) {
        return record(count, i -> TestVideo.picture(i, GOP));
    }

    private static Instant at(int picture) {
        long micros = TestVideo.captureMicros(picture);
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
    }

    private static PlaybackRequest request(Instant start, Optional<Instant> end, double speed) {
        return new PlaybackRequest("cam", StreamKind.MAIN, start, end, speed);
    }

    /** What a viewer receives: the stream's bytes, parsed. */
    private record Played(Instant firstCapture, List<byte[]> chunks, InitSegment init, List<Fragment> fragments) {
        List<AccessUnit> units() {
            List<AccessUnit> out = new ArrayList<>();
            fragments.forEach(f -> out.addAll(f.accessUnits(init.timescale())));
            return out;
        }

        /** The recorded picture numbers, from the synthetic pictures' payload. */
        List<Integer> pictureNumbers() {
            return units().stream().map(u -> ByteBuffer.wrap(u.avcc(), 5, 4).getInt()).toList();
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    private static Optional<Played> play(RecordingIndex index, PlaybackRequest request) throws IOException {
        Optional<PlaybackFeed> opened = PlaybackFeed.open(index, request);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (PlaybackFeed feed = opened.get()) {
            List<byte[]> chunks = new ArrayList<>();
            for (Optional<byte[]> next = feed.next(); next.isPresent(); next = feed.next()) {
                chunks.add(next.get());
            }
            byte[] all = concat(chunks);
            return Optional.of(new Played(feed.firstCapture(), chunks, BoxReader.readInitSegment(all),
                    BoxReader.readFragments(all)));
        }
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void playsFromTheKeyframeAtOrBeforeTheStartToTheEndAcrossSegments() throws IOException {
        RecordingIndex index = recordSynthetic(1500); // 100 s: two segments, the first 60 s long
        assertThat(index.segments()).hasSize(2);

        // Picture 880 is in the first segment; the keyframe before it is 870; segment 2 starts at picture 900.
        Played played = play(index, request(at(880).plusMillis(10), Optional.of(at(950)), 1)).orElseThrow();

        assertThat(played.firstCapture()).isEqualTo(at(870));
        assertThat(played.pictureNumbers()).containsExactlyElementsOf(range(870, 950));
        assertThat(played.units().getFirst().keyframe()).isTrue();
        // One continuous timeline from 0 at the camera's 15 fps, whatever the segments' own times were.
        List<AccessUnit> units = played.units();
        for (int i = 0; i < units.size(); i++) {
            assertThat(units.get(i).pts90k()).isEqualTo(i * 6000L);
            assertThat(units.get(i).captureMicros()).isEqualTo(TestVideo.captureMicros(870 + i));
        }
        assertThat(played.init().format().width()).isEqualTo(704);
    }

    @Test
    void aStartExactlyOnAKeyframeStartsThere() throws IOException {
        RecordingIndex index = recordSynthetic(300);
        Played played = play(index, request(at(60), Optional.of(at(90)), 1)).orElseThrow();
        assertThat(played.pictureNumbers()).containsExactlyElementsOf(range(60, 90));
    }

    @Test
    void doubleSpeedSendsEveryPictureOnAFasterTimeline() throws IOException {
        RecordingIndex index = recordSynthetic(300);
        Played played = play(index, request(at(30), Optional.of(at(90)), 2)).orElseThrow();
        assertThat(played.pictureNumbers()).containsExactlyElementsOf(range(30, 90));
        List<AccessUnit> units = played.units();
        assertThat(units.get(1).pts90k() - units.get(0).pts90k()).isEqualTo(3000);
    }

    @Test
    void fastSpeedsSendKeyframesOnly() throws IOException {
        RecordingIndex index = recordSynthetic(600);
        Played played = play(index, request(at(35), Optional.of(at(300)), 8)).orElseThrow();
        assertThat(played.pictureNumbers()).containsExactly(30, 60, 90, 120, 150, 180, 210, 240, 270);
        assertThat(played.units()).allSatisfy(u -> assertThat(u.keyframe()).isTrue());
        // Keyframes are 2 s of capture time apart: at 8x they play 0.25 s apart.
        List<AccessUnit> units = played.units();
        assertThat(units.get(1).pts90k() - units.get(0).pts90k()).isEqualTo(22_500);
    }

    @Test
    void aGapInTheRecordingIsClosedUpOnThePlaybackTimeline() throws IOException {
        // 20 s recorded, the camera silent for a minute, then 20 s more.
        RecordingIndex index = record(600, i -> TestVideo.picture(i < 300 ? i : i + 900, GOP));
        assertThat(index.ranges(at(0), at(1500)).stream().filter(r -> !r.recorded()).findFirst()).isPresent();

        Played played = play(index, request(at(280), Optional.of(at(1230)), 1)).orElseThrow();

        List<Integer> expected = new ArrayList<>(range(270, 300));
        expected.addAll(range(1200, 1230));
        assertThat(played.pictureNumbers()).containsExactlyElementsOf(expected);
        List<AccessUnit> units = played.units();
        for (int i = 1; i < units.size(); i++) {
            assertThat(units.get(i).pts90k() - units.get(i - 1).pts90k()).isEqualTo(6000);
        }
        // The capture time still tells the viewer where the gap was.
        assertThat(units.get(30).captureMicros() - units.get(29).captureMicros()).isGreaterThan(60_000_000L);
    }

    @Test
    void jitteryCaptureTimesDoNotUnevenThePlaybackTimeline() throws IOException {
        // Capture times come from packet arrival when a camera sends no RTCP: up to +-30 ms off, while the
        // camera's own presentation times are even. Playback keeps the camera's spacing.
        java.util.Random random = new java.util.Random(7);
        RecordingIndex index = record(300, i -> {
            AccessUnit even = TestVideo.picture(i, GOP);
            return new AccessUnit(even.pts90k(), even.captureMicros() + random.nextInt(-30_000, 30_001),
                    even.keyframe(), even.avcc());
        });
        Played played = play(index, request(at(30), Optional.of(at(240)), 1)).orElseThrow();
        List<AccessUnit> units = played.units();
        assertThat(units).hasSizeGreaterThan(150);
        for (int i = 1; i < units.size(); i++) {
            assertThat(units.get(i).pts90k() - units.get(i - 1).pts90k()).as("picture %d", i).isEqualTo(6000);
        }
    }

    @Test
    void aStartInAGapPlaysFromTheFirstPictureRecordedAfterIt() throws IOException {
        RecordingIndex index = record(600, i -> TestVideo.picture(i < 300 ? i : i + 900, GOP));
        Played played = play(index, request(at(600), Optional.empty(), 1)).orElseThrow();
        assertThat(played.firstCapture()).isEqualTo(at(1200));
        assertThat(played.pictureNumbers()).containsExactlyElementsOf(range(1200, 1500));
    }

    @Test
    void nothingRecordedInTheWindowOpensNothing() throws IOException {
        RecordingIndex index = recordSynthetic(300);
        assertThat(play(index, request(at(400), Optional.of(at(500)), 1))).isEmpty();
        assertThat(play(index, request(at(-600), Optional.of(at(-300)), 1))).isEmpty();
    }

    @Test
    void aSegmentDeletedByRetentionDuringPlaybackIsSkipped() throws IOException {
        RecordingIndex index = recordSynthetic(1950); // segments at pictures 0, 900, 1800
        List<Segment> segments = index.segments();
        assertThat(segments).hasSize(3);
        Optional<PlaybackFeed> feed = PlaybackFeed.open(index, request(at(0), Optional.empty(), 1));
        Files.delete(segments.get(1).file());
        List<byte[]> chunks = new ArrayList<>();
        try (PlaybackFeed f = feed.orElseThrow()) {
            for (Optional<byte[]> next = f.next(); next.isPresent(); next = f.next()) {
                chunks.add(next.get());
            }
        }
        byte[] all = concat(chunks);
        InitSegment init = BoxReader.readInitSegment(all);
        List<Integer> numbers = new ArrayList<>();
        for (Fragment fragment : BoxReader.readFragments(all)) {
            fragment.accessUnits(init.timescale()).forEach(u -> numbers.add(ByteBuffer.wrap(u.avcc(), 5, 4).getInt()));
        }
        List<Integer> expected = new ArrayList<>(range(0, 900));
        expected.addAll(range(1800, 1950));
        assertThat(numbers).containsExactlyElementsOf(expected);
    }

    @Test
    void realVideoPlaysBackDecodableWithTheRightSizeAndFrameCount(@TempDir Path work) throws Exception {
        TestVideo.Real real = TestVideo.real(work, 10);
        RecordingIndex index = record(real.format(), real.units().size(), real.units()::get);
        Played played = play(index, request(at(40), Optional.of(at(130)), 1)).orElseThrow();

        Path file = work.resolve("playback.mp4");
        Files.write(file, played.bytes());
        assertThat(TestVideo.ffprobeFrames(file)).isEqualTo(130 - 30);
        assertThat(played.firstCapture()).isEqualTo(at(30));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
