package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.mp4.Box;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.recorder.cameras.StreamKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexRebuildTest {
    private static final Instant START = Instant.ofEpochSecond(0, TestVideo.CAPTURE_BASE * 1000);

    @TempDir
    Path root;

    private final Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(3650)),
            Clock.systemUTC());

    private RecordingSink sink() {
        return RecordingSink.start("cam1", StreamKind.MAIN, root, RecordingSink.Settings.DEFAULTS, retention,
                Clock.systemUTC());
    }

    private void record(int fromPicture, int toPicture) {
        RecordingSink sink = sink();
        sink.onFormat(TestVideo.FORMAT);
        for (int i = fromPicture; i < toPicture; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30));
        }
        sink.close();
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void aSegmentCutByACrashIsKeptToItsLastCompleteFragment() throws Exception {
        TestVideo.Real video = TestVideo.real(root, 10);
        RecordingSink first = sink();
        first.onFormat(video.format());
        video.units().forEach(first::onAccessUnit);
        first.close();
        Path file = files(".mp4").getFirst();
        byte[] whole = Files.readAllBytes(file);
        List<Box> boxes = BoxReader.boxes(whole);
        Box lastMdat = boxes.getLast();
        Box lastPrft = boxes.get(boxes.size() - 3);
        assertThat(lastMdat.type()).isEqualTo("mdat");
        assertThat(lastPrft.type()).isEqualTo("prft");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(lastMdat.offset() + lastMdat.size() / 2); // the crash: half of the last fragment written
        }

        RecordingSink second = sink();
        await().until(() -> second.index().size() == 1);
        second.close();
        Segment segment = second.index().segments().getFirst();
        assertThat(Files.size(file)).isEqualTo(lastPrft.offset()).isEqualTo(segment.bytes());
        assertThat(segment.start()).isEqualTo(START);
        assertThat(segment.end()).isEqualTo(START.plusSeconds(9)); // 10 fragments of 1 s, the last one lost
        assertThat(second.index().segmentAt(START.plusMillis(8_500))).contains(segment);
        assertThat(TestVideo.ffprobeFrames(file)).isEqualTo(135);
    }

    @Test
    void cleanlyClosedSegmentsAreTakenFromTheDaysListWithoutReadingThem() throws IOException {
        record(0, 150);
        Path file = files(".mp4").getFirst();
        Path list = file.resolveSibling(ClosedSegments.FILE_NAME);
        String line = Files.readString(list);
        long startMicros = TestVideo.CAPTURE_BASE;
        assertThat(line).isEqualTo(file.getFileName() + " " + startMicros + " " + (startMicros + 10_000_000) + " "
                + Files.size(file) + "\n");
        // A list that says 99 s shows it is what the rebuild read; a torn last line is ignored.
        Files.writeString(list, line.replace(" " + (startMicros + 10_000_000) + " ", " " + (startMicros + 99_000_000)
                + " ") + "1780000000000.mp4 17800");

        RecordingSink sink = sink();
        await().until(() -> sink.index().size() == 1);
        sink.close();
        assertThat(sink.index().segments().getFirst().end()).isEqualTo(START.plusSeconds(99));
    }

    @Test
    void theTimeTheRecorderWasDownIsAGap() throws IOException {
        record(0, 150); // 0 to 10 s
        RecordingSink after = sink();
        after.onFormat(TestVideo.FORMAT);
        for (int i = 300; i < 450; i++) { // 20 to 30 s
            after.onAccessUnit(TestVideo.picture(i, 30));
        }
        await().until(() -> after.index().size() == 2 && after.index().segments().getLast().end()
                .equals(START.plusSeconds(29)));
        assertThat(after.index().ranges(START, START.plusSeconds(29))).containsExactly(
                TimelineRange.recorded(START, START.plusSeconds(10)),
                TimelineRange.gap(START.plusSeconds(10), START.plusSeconds(20), RecordingIndex.RECORDER_DOWN),
                TimelineRange.recorded(START.plusSeconds(20), START.plusSeconds(29)));
        after.close();
    }

    @Test
    void filesThatAreNotSegmentsAreMovedAsideAndTheRestIsIndexed() throws IOException {
        record(0, 150);
        Path day = files(".mp4").getFirst().getParent();
        Files.write(day.resolve("1.mp4"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        byte[] init = dev.outpost.media.mp4.Fmp4Writer.initSegment(TestVideo.FORMAT, 90_000);
        Files.write(day.resolve("2.mp4"), init); // crashed before its first fragment
        Files.writeString(day.resolve("notes.txt"), "left alone");

        RecordingSink sink = sink();
        await().until(() -> files(".corrupt").size() == 2 && sink.index().size() == 1);
        sink.close();
        assertThat(files(".corrupt")).extracting(p -> p.getFileName().toString())
                .containsExactly("1.mp4.corrupt", "2.mp4.corrupt");
        assertThat(sink.index().segments().getFirst().end()).isEqualTo(START.plusSeconds(10));
        assertThat(day.resolve("notes.txt")).exists();
    }
}
