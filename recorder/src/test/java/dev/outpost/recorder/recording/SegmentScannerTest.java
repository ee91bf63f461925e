package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.mp4.Box;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Mp4FormatException;
import dev.outpost.recorder.cameras.StreamKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash can cut a segment anywhere and a bad disk can change any byte: the scan keeps what is whole. */
class SegmentScannerTest {
    @TempDir
    Path root;

    private byte[] segment;
    private List<Long> fragmentEnds;

    @BeforeEach
    void recordThreeSecondsAndAHalf() throws IOException {
        Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(1)),
                Clock.systemUTC());
        RecordingSink sink = RecordingSink.start("cam1", StreamKind.MAIN, root.resolve("rec"),
                RecordingSink.Settings.DEFAULTS, retention, Clock.systemUTC());
        sink.onFormat(TestVideo.FORMAT);
        for (int i = 0; i < 53; i++) {
            sink.onAccessUnit(TestVideo.picture(i, 30, 400));
        }
        sink.close();
        try (Stream<Path> files = Files.walk(root.resolve("rec"))) {
            segment = Files.readAllBytes(files.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow());
        }
        fragmentEnds = BoxReader.boxes(segment).stream().filter(b -> b.type().equals("mdat")).map(Box::end).toList();
        assertThat(fragmentEnds).hasSize(4);
    }

    @Test
    void aCutAnywhereKeepsTheFragmentsBeforeIt() throws IOException {
        Path file = root.resolve("cut.mp4");
        for (int length = 0; length <= segment.length; length += 3) {
            Files.write(file, Arrays.copyOf(segment, length));
            int cut = length;
            long whole = fragmentEnds.stream().filter(end -> end <= cut).count();
            if (whole == 0) {
                assertThatThrownBy(() -> SegmentScanner.scan(file)).isInstanceOf(Mp4FormatException.class);
            } else {
                SegmentScanner.Scan scan = SegmentScanner.scan(file);
                assertThat(scan.fragments()).as("fragments in %d bytes", length).isEqualTo(whole);
                assertThat(scan.validLength()).isEqualTo(fragmentEnds.get((int) whole - 1));
            }
        }
    }

    @Test
    void damagedBytesNeverEscapeAsAnythingButAFormatError() throws IOException {
        Path file = root.resolve("damaged.mp4");
        Random random = new Random(7);
        int kept = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = segment.clone();
            for (int j = 0; j < 1 + random.nextInt(4); j++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            Files.write(file, damaged);
            try {
                SegmentScanner.Scan scan = SegmentScanner.scan(file);
                assertThat(scan.validLength()).isBetween(1L, (long) damaged.length);
                assertThat(scan.end()).isAfterOrEqualTo(scan.start());
                kept++;
            } catch (RuntimeException e) {
                // IndexRebuild moves such a file aside. An Error (out of memory, stack overflow) would fail the test.
            }
        }
        assertThat(kept).as("damage in the video bytes leaves a segment readable").isPositive();
    }
}
