package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.Sample;
import dev.outpost.recorder.cameras.StreamKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingSinkTest {
    @TempDir
    Path root;

    private final Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(3650)),
            Clock.systemUTC());
    private final List<RecordingSink> sinks = new ArrayList<>();

    @AfterEach
    void closeSinks() {
        sinks.forEach(RecordingSink::close);
    }

    private RecordingSink sink(String camera, StreamKind kind, Path dir, RecordingSink.Settings settings) {
        RecordingSink sink = RecordingSink.start(camera, kind, dir, settings, retention, Clock.systemUTC());
        sinks.add(sink);
        return sink;
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
    }

    private static List<Integer> pictures(Path file) throws IOException {
        List<Integer> indexes = new ArrayList<>();
        for (Fragment f : BoxReader.readFragments(Files.readAllBytes(file))) {
            for (Sample s : f.samples()) {
                indexes.add(ByteBuffer.wrap(s.data(), 5, 4).getInt());
            }
        }
        return indexes;
    }

    @Test
    void segmentsRollAtSixtySecondsOfStreamTimeWithOneSecondFragments() throws IOException {
        RecordingSink sink = sink("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS);
        sink.onFormat(TestVideo.FORMAT);
        int count = 150 * 15; // 150 s of stream time, fed as fast as the test can
        for (int i = 0; i < count; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.close();

        List<Path> files = segmentFiles(root);
        assertThat(files).hasSize(3);
        assertThat(root.relativize(files.getFirst()).toString())
                .isEqualTo("cam1/hd/2026-05-28/" + TestVideo.CAPTURE_BASE / 1000 + ".mp4");
        List<Integer> all = new ArrayList<>();
        for (Path f : files) {
            List<Fragment> fragments = BoxReader.readFragments(Files.readAllBytes(f));
            assertThat(BoxReader.readInitSegment(Files.readAllBytes(f)).format().width()).isEqualTo(704);
            assertThat(fragments.getFirst().samples().getFirst().sync()).isTrue();
            // ~1 s fragments: 15 pictures each, the last of the stream possibly shorter.
            assertThat(fragments.subList(0, fragments.size() - 1)).allSatisfy(fr ->
                    assertThat(fr.samples()).hasSize(15));
            all.addAll(pictures(f));
        }
        assertThat(pictures(files.get(0))).hasSize(60 * 15);
        assertThat(pictures(files.get(1))).hasSize(60 * 15);
        assertThat(all).hasSize(count).isSorted().doesNotHaveDuplicates();

        RecordingIndex index = sink.index();
        assertThat(index.segments()).hasSize(3);
        Instant start = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);
        assertThat(index.segments().getFirst().start()).isEqualTo(start);
        assertThat(index.segments().getLast().end()).isEqualTo(start.plusSeconds(150));
        assertThat(index.segmentAt(start.plusSeconds(90)).orElseThrow().file()).isEqualTo(files.get(1));
        assertThat(index.segmentAt(start.plusSeconds(200))).isEmpty();
        assertThat(index.ranges(start.minusSeconds(10), start.plusSeconds(160))).containsExactly(
                TimelineRange.gap(start.minusSeconds(10), start, RecordingIndex.NOT_RECORDED),
                TimelineRange.recorded(start, start.plusSeconds(150)),
                TimelineRange.gap(start.plusSeconds(150), start.plusSeconds(160), "recording stopped"));
        assertThat(index.bytes()).isEqualTo(files.stream().mapToLong(RecordingSinkTest::size).sum());
        assertThat(sink.status().state()).isEqualTo(RecordingStatus.State.STOPPED);
        assertThat(sink.status().segments()).isEqualTo(3);
    }

    @Test
    void realVideoSegmentsDecodeWithEveryFrame() throws Exception {
        TestVideo.Real video = TestVideo.real(root, 10);
        assertThat(video.units()).hasSize(150);
        Path dir = root.resolve("rec");
        RecordingSink sink = sink("cam1", StreamKind.SUB, dir,
                new RecordingSink.Settings(Duration.ofSeconds(4), Duration.ofSeconds(1), 32L << 20, 0));
        sink.onFormat(video.format());
        video.units().forEach(sink::onAccessUnit);
        sink.close();

        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSize(3); // keyframes every 2 s: segments of 4, 4 and 2 s
        int frames = 0;
        for (Path f : files) {
            int n = TestVideo.ffprobeFrames(f);
            assertThat(n).isEqualTo(pictures(f).size());
            frames += n;
        }
        assertThat(frames).isEqualTo(150);
    }

    @Test
    void interruptionClosesTheSegmentAndShowsAGap() throws IOException {
        RecordingSink sink = sink("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS);
        sink.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 150; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.onInterruption("connection refused");
        for (int i = 300; i < 450; i++) { // 10 s later, as after a reconnect
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        Instant start = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);
        // The writer works on its own thread: wait until it wrote every queued fragment.
        await().untilAsserted(() -> assertThat(sink.index().ranges(start, start.plusSeconds(29))).containsExactly(
                TimelineRange.recorded(start, start.plusSeconds(10)),
                TimelineRange.gap(start.plusSeconds(10), start.plusSeconds(20), "camera offline: connection refused"),
                TimelineRange.recorded(start.plusSeconds(20), start.plusSeconds(29))));
        assertThat(sink.status().state()).isEqualTo(RecordingStatus.State.RECORDING);
        sink.close();
        assertThat(segmentFiles(root)).hasSize(2);
    }

    @Test
    void picturesThatStopWithoutAnInterruptionLeaveAGapAndBackwardPtsAreSkipped() throws IOException {
        RecordingSink sink = sink("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS);
        sink.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 150; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.onAccessUnit(TestVideo.picture(100, 30)); // pts back in time: not written, the recording goes on
        for (int i = 300; i < 450; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.close();
        Instant start = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);
        List<TimelineRange> ranges = sink.index().ranges(start, start.plusSeconds(30));
        assertThat(ranges).hasSize(3);
        assertThat(ranges.get(0)).isEqualTo(TimelineRange.recorded(start, start.plusSeconds(10)));
        assertThat(ranges.get(1).reason()).isEqualTo("camera offline: no pictures for 10066 ms");
        assertThat(ranges.get(2)).isEqualTo(TimelineRange.recorded(start.plusSeconds(20), start.plusSeconds(30)));
        List<Path> files = segmentFiles(root);
        assertThat(files).hasSize(2);
        assertThat(pictures(files.get(0))).hasSize(150).isSorted();
        assertThat(sink.status().lastError()).isEmpty();
    }

    @Test
    void formatChangeStartsANewSegment() throws IOException {
        RecordingSink sink = sink("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS);
        sink.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 45; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.onFormat(new dev.outpost.media.h264.StreamFormat(TestVideo.SPS, new byte[] {0x68, (byte) 0xCE, 0x3C,
            (byte) 0x80}, 352, 288));
        for (int i = 45; i < 90; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.close();
        List<Path> files = segmentFiles(root);
        assertThat(files).hasSize(2);
        assertThat(BoxReader.readInitSegment(Files.readAllBytes(files.get(1))).format().width()).isEqualTo(352);
        assertThat(pictures(files.get(0))).hasSize(45);
        assertThat(pictures(files.get(1))).first().isEqualTo(60); // from the new format's first keyframe
    }

    @Test
    void aStalledWriterDropsToTheNextKeyframeWithoutBlockingTheCaller() throws IOException {
        RecordingSink sink = new RecordingSink("cam1", StreamKind.MAIN, root,
                new RecordingSink.Settings(Duration.ofSeconds(60), Duration.ofSeconds(1), 100_000, 0), retention,
                Clock.systemUTC(), SegmentFile.WriteCheck.NONE);
        sinks.add(sink);
        sink.onFormat(TestVideo.FORMAT);
        long before = System.nanoTime();
        for (int i = 0; i < 900; i++) { // 60 s of 2000/300-byte pictures: ~230 kB, more than the 100 kB bound
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        RecordingStatus status = sink.status();
        assertThat(status.state()).isEqualTo(RecordingStatus.State.FALLING_BEHIND);
        assertThat(status.lastError()).get().asString().contains("falling behind");
        assertThat(status.droppedPictures()).isPositive();

        sink.startWriter();
        await().until(() -> sink.queuedBytes() == 0);
        // Still behind until a keyframe is taken again.
        assertThat(sink.status().state()).isEqualTo(RecordingStatus.State.FALLING_BEHIND);
        for (int i = 900; i < 915; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        await().until(() -> sink.status().state() == RecordingStatus.State.RECORDING);
        sink.close();
        List<Integer> written = new ArrayList<>();
        for (Path f : segmentFiles(root)) {
            written.addAll(pictures(f));
        }
        assertThat(written.size() + sink.status().droppedPictures()).isEqualTo(915);
        // Every run of pictures after a drop starts on a keyframe, in a segment of its own.
        for (Path f : segmentFiles(root)) {
            assertThat(pictures(f).getFirst() % 30).isZero();
        }
        Instant start = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);
        assertThat(sink.index().ranges(start, start.plusSeconds(60)))
                .anySatisfy(r -> assertThat(r.reason()).startsWith("recorder falling behind"));
    }

    @Test
    void anUnwritableDirectoryFailsThatStreamWhileAnotherKeepsRecording() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "not a directory");
        RecordingSink broken = sink("cam1", StreamKind.MAIN, file.resolve("sub"), RecordingSink.Settings.DEFAULTS);
        RecordingSink working = sink("cam2", StreamKind.MAIN, root.resolve("ok"), RecordingSink.Settings.DEFAULTS);
        broken.onFormat(TestVideo.FORMAT);
        working.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 90; i++) {
            AccessUnit unit = TestVideo.picture(i, 30);
            broken.onAccessUnit(unit);
            working.onAccessUnit(unit);
        }
        await().until(() -> broken.status().state() == RecordingStatus.State.FAILED);
        assertThat(broken.status().lastError()).get().asString()
                .startsWith("cannot create directory " + file.resolve("sub").resolve("cam1"))
                .contains("writable");
        await().until(() -> working.index().size() == 1 && working.index().bytes() > 20_000);
        assertThat(working.status().state()).isEqualTo(RecordingStatus.State.RECORDING);
        assertThat(working.status().lastError()).isEmpty();
    }

    @Test
    void aFullDiskFailsTheStreamRunsRetentionAndRecordingResumesWhenThereIsSpace() throws IOException {
        // Another camera's old recording, which retention deletes to make room.
        RecordingIndex other = new RecordingIndex("cam9", "hd");
        Path oldFile = Files.write(Files.createDirectories(root.resolve("cam9/hd/2026-05-27")).resolve("1.mp4"),
                new byte[100_000]);
        Instant start = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);
        other.put(new Segment(oldFile, start.minusSeconds(86_400), start.minusSeconds(86_340), 100_000));
        retention.register(other);
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
        RecordingSink sink = new RecordingSink("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS,
                retention, Clock.systemUTC(), (file, bytes) -> {
                    if (full.get()) {
                        throw new java.nio.file.FileSystemException(file.toString(), null, "No space left on device");
                    }
                });
        sinks.add(sink);
        sink.startWriter();
        sink.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 75; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        await().until(() -> sink.index().size() == 1 && sink.index().segments().getFirst().end()
                .equals(start.plusSeconds(4)));
        full.set(true);
        for (int i = 75; i < 150; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        await().until(() -> sink.status().state() == RecordingStatus.State.FAILED);
        assertThat(sink.status().lastError()).get().asString().startsWith("disk full writing")
                .contains("No space left on device");
        await().until(() -> !Files.exists(oldFile));
        assertThat(other.size()).isZero();

        full.set(false);
        for (int i = 150; i < 240; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        await().until(() -> sink.status().state() == RecordingStatus.State.RECORDING
                && !sink.index().segments().getLast().end().isBefore(start.plusSeconds(15)));
        // While the disk stayed full, each retry made retention delete the oldest segment left, maybe cam1's first.
        List<TimelineRange> ranges = sink.index().ranges(start, start.plusSeconds(15));
        assertThat(ranges).hasSizeBetween(2, 3);
        assertThat(ranges.getLast()).isEqualTo(TimelineRange.recorded(start.plusSeconds(10), start.plusSeconds(15)));
        assertThat(ranges.get(ranges.size() - 2).reason()).startsWith("recording failed: disk full");
        try (Stream<Path> files = Files.walk(root.resolve("cam1"))) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
