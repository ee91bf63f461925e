package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    @TempDir
    Path root;

    /** A 1000-byte segment file of one minute starting {@code minutes} after T0. */
    private Segment segment(RecordingIndex index, int minutes) throws IOException {
        Instant start = T0.plus(Duration.ofMinutes(minutes));
        Path dir = Files.createDirectories(root.resolve(index.cameraId()).resolve(index.stream()).resolve("day"));
        Path file = Files.write(dir.resolve(start.toEpochMilli() + ".mp4"), new byte[1000]);
        Segment s = new Segment(file, start, start.plusSeconds(60), 1000);
        index.put(s);
        return s;
    }

    @Test
    void byBytesDeletesTheOldestSegmentsAcrossCameras() throws IOException {
        RecordingIndex cam1 = new RecordingIndex("cam1", "hd");
        RecordingIndex cam2 = new RecordingIndex("cam2", "hd");
        Segment a0 = segment(cam1, 0);
        Segment b1 = segment(cam2, 1);
        Segment a2 = segment(cam1, 2);
        Segment b3 = segment(cam2, 3);
        Segment a4 = segment(cam1, 4);
        Segment b5 = segment(cam2, 5);
        Retention retention = new Retention(new Retention.Limits(3500, Duration.ofDays(365)),
                Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        retention.register(cam1);
        retention.register(cam2);

        assertThat(retention.run()).isEqualTo(new Retention.Deleted(3, 3000));

        assertThat(cam1.segments()).containsExactly(a4);
        assertThat(cam2.segments()).containsExactly(b3, b5);
        assertThat(retention.totalBytes()).isEqualTo(3000);
        assertThat(a0.file()).doesNotExist();
        assertThat(b1.file()).doesNotExist();
        assertThat(a2.file()).doesNotExist();
        assertThat(b3.file()).exists();
        assertThat(retention.run().segments()).isZero();
    }

    @Test
    void byAgeDeletesSegmentsThatEndedBeforeTheLimit() throws IOException {
        RecordingIndex index = new RecordingIndex("cam1", "sd");
        Segment old = segment(index, 0);
        Segment older = segment(index, 60);
        Segment recent = segment(index, 200);
        Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofHours(2)),
                Clock.fixed(T0.plus(Duration.ofMinutes(240)), ZoneOffset.UTC));
        retention.register(index);

        assertThat(retention.run().segments()).isEqualTo(2);
        assertThat(index.segments()).containsExactly(recent);
        assertThat(old.file()).doesNotExist();
        assertThat(older.file()).doesNotExist();
        assertThat(recent.file()).exists();
    }

    @Test
    void theSegmentBeingWrittenIsNeverDeleted() throws IOException {
        RecordingIndex index = new RecordingIndex("cam1", "hd");
        segment(index, 0);
        Instant start = T0.plusSeconds(60);
        Path file = Files.write(root.resolve("open.mp4"), new byte[1000]);
        Segment open = new Segment(file, start, start.plusSeconds(30), 1000);
        index.open(open);
        Retention retention = new Retention(new Retention.Limits(1, Duration.ofSeconds(1)),
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        retention.register(index);

        assertThat(retention.run().segments()).isEqualTo(1);
        assertThat(index.segments()).containsExactly(open);
        assertThat(file).exists();
    }

    @Test
    void runsPeriodicallyOnceStarted() throws IOException {
        RecordingIndex index = new RecordingIndex("cam1", "hd");
        Segment old = segment(index, 0);
        try (Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofHours(1)),
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC))) {
            retention.register(index);
            retention.start(Duration.ofMillis(20));
            org.awaitility.Awaitility.await().until(() -> index.size() == 0);
            assertThat(old.file()).doesNotExist();
        }
    }

    @Test
    void aFullDiskFreesAShareOfWhatIsRecorded() throws IOException {
        RecordingIndex index = new RecordingIndex("cam1", "hd");
        for (int i = 0; i < 40; i++) {
            segment(index, i);
        }
        Retention retention = new Retention(new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(365)),
                Clock.fixed(T0, ZoneOffset.UTC));
        retention.register(index);

        assertThat(retention.onDiskFull()).isEqualTo(new Retention.Deleted(2, 2000)); // 5 % of 40 000 bytes
        assertThat(index.oldest().orElseThrow().start()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    }
}
