package dev.outpost.recorder.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.RtpTransport;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.wire.outbox.ConfigBackup;
import dev.outpost.wire.outbox.OutboxEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBackupsTest {
    private static EventLoopGroup group;
    private final List<AutoCloseable> opened = new ArrayList<>();
    @TempDir
    Path data;

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void aBackupTakenIntoTheOutboxRestoresTheSameCamerasElsewhere() throws Exception {
        CameraConfig door = CameraConfig.of("door", "Front door", "rtsp://127.0.0.1:9/main", "rtsp://127.0.0.1:9/sub",
                Optional.of(new CameraConfig.Credentials("admin", "p@ss:w/rd")), RtpTransport.TCP);
        CameraConfig yard = new CameraConfig("yard", "Yard", java.net.URI.create("rtsp://127.0.0.1:9/y1"),
                java.net.URI.create("rtsp://127.0.0.1:9/y2"));
        CameraSet a = cameras(data.resolve("a"), List.of(door, yard));
        Outbox outbox = outbox(Outbox.open(data.resolve("a/outbox"), Outbox.Limits.DEFAULTS, Clock.systemUTC(),
                DataUsage.open(data.resolve("a/usage.json"), Clock.systemUTC())));
        ConfigBackups backups = new ConfigBackups("r-a", a, outbox, Clock.systemUTC(), data.resolve("a/backups"));

        String key = backups.take();
        List<OutboxEnvelope> items = outbox.poll(10, Duration.ZERO);
        assertThat(items).extracting(OutboxEnvelope::key, OutboxEnvelope::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(key, "config-backup"));
        ConfigBackup backup = ConfigBackup.parse(outbox.payload(key).orElseThrow());
        assertThat(backup.recorderId()).isEqualTo("r-a");
        assertThat(Files.readString(data.resolve("a/backups/last"))).isEqualTo(backup.takenAt().toString());
        try (var files = Files.list(data.resolve("a/outbox"))) {
            assertThat(files.toList()).singleElement().satisfies(file -> assertThat(
                    Files.getPosixFilePermissions(file)).as("it holds credentials")
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }

        CameraSet b = cameras(data.resolve("b"), List.of(new CameraConfig("old", "Old",
                java.net.URI.create("rtsp://127.0.0.1:9/o1"), java.net.URI.create("rtsp://127.0.0.1:9/o2"))));
        Outbox outboxB = outbox(Outbox.open(data.resolve("b/outbox"), Outbox.Limits.DEFAULTS, Clock.systemUTC(),
                DataUsage.open(data.resolve("b/usage.json"), Clock.systemUTC())));
        new ConfigBackups("r-b", b, outboxB, Clock.systemUTC(), data.resolve("b/backups")).restore(backup);
        assertThat(b.cameras()).extracting(Camera::config).containsExactly(door, yard);
        assertThat(b.find("door").orElseThrow().config().credentials())
                .contains(new CameraConfig.Credentials("admin", "p@ss:w/rd"));
    }

    @Test
    void aSealedOrBadCameraIsRefusedNamingItsFieldAndNothingChanges() throws Exception {
        CameraSet set = cameras(data, List.of());
        Outbox outbox = outbox(Outbox.open(data.resolve("outbox"), Outbox.Limits.DEFAULTS, Clock.systemUTC(),
                DataUsage.open(data.resolve("usage.json"), Clock.systemUTC())));
        ConfigBackups backups = new ConfigBackups("r", set, outbox, Clock.systemUTC(), data.resolve("backups"));
        ConfigBackup sealed = new ConfigBackup(1, "r", java.time.Instant.now(), List.of(
                new ConfigBackup.Camera("door", "Door", "aesgcm:AAAA", "rtsp://h/sub", "tcp")));
        assertThatThrownBy(() -> backups.restore(sealed)).hasMessageContaining("cameras[0].mainUrl is still sealed");
        ConfigBackup badTransport = new ConfigBackup(1, "r", java.time.Instant.now(), List.of(
                new ConfigBackup.Camera("door", "Door", "rtsp://h/main", "rtsp://h/sub", "carrier-pigeon")));
        assertThatThrownBy(() -> backups.restore(badTransport)).hasMessageContaining("cameras[0]")
                .hasMessageContaining("transport");
        assertThat(set.cameras()).isEmpty();
        assertThat(data.resolve("cameras.json")).doesNotExist();
    }

    @Test
    void aWeekAfterTheLastBackupTheNextIsTakenAndARestartDoesNotResetTheWeek() throws Exception {
        CameraSet set = cameras(data, List.of());
        Outbox outbox = outbox(Outbox.open(data.resolve("outbox"), Outbox.Limits.DEFAULTS, Clock.systemUTC(),
                DataUsage.open(data.resolve("usage.json"), Clock.systemUTC())));
        Files.createDirectories(data.resolve("backups"));
        Files.writeString(data.resolve("backups/last"), java.time.Instant.now().minus(Duration.ofDays(6)).toString());
        ConfigBackups recent = open(new ConfigBackups("r", set, outbox, Clock.systemUTC(), data.resolve("backups")));
        recent.start();
        recent.close();
        assertThat(outbox.size()).as("six days after the last one, none is due").isZero();

        Files.writeString(data.resolve("backups/last"), java.time.Instant.now().minus(Duration.ofDays(8)).toString());
        ConfigBackups due = open(new ConfigBackups("r", set, outbox, Clock.systemUTC(), data.resolve("backups")));
        due.start();
        org.awaitility.Awaitility.await("the weekly backup").atMost(Duration.ofSeconds(10))
                .until(() -> outbox.size() == 1);
        assertThat(java.time.Instant.parse(Files.readString(data.resolve("backups/last"))))
                .isAfter(java.time.Instant.now().minus(Duration.ofMinutes(1)));
    }

    @Test
    void aDailyScheduleTakesOneADayAfterTheLastAndOnDemandOnlyTakesNone() throws Exception {
        CameraSet set = cameras(data, List.of());
        Outbox outbox = outbox(Outbox.open(data.resolve("outbox"), Outbox.Limits.DEFAULTS, Clock.systemUTC(),
                DataUsage.open(data.resolve("usage.json"), Clock.systemUTC())));
        Files.createDirectories(data.resolve("backups"));
        Files.writeString(data.resolve("backups/last"), java.time.Instant.now().minus(Duration.ofDays(2)).toString());
        ConfigBackups onDemand = open(new ConfigBackups("r", set, outbox, Clock.systemUTC(), data.resolve("backups"),
                Duration.ZERO));
        onDemand.start();
        onDemand.close();
        assertThat(outbox.size()).as("on demand only: none by itself, however old the last").isZero();

        ConfigBackups daily = open(new ConfigBackups("r", set, outbox, Clock.systemUTC(), data.resolve("backups"),
                Duration.ofDays(1)));
        daily.start();
        org.awaitility.Awaitility.await("the daily backup").atMost(Duration.ofSeconds(10))
                .until(() -> outbox.size() == 1);
    }

    private CameraSet cameras(Path dir, List<CameraConfig> configured) throws Exception {
        Files.createDirectories(dir);
        return open(CameraSet.open(dir, configured, Set.of(), group, new CameraSet.Outlets() {
            @Override
            public List<VideoSink> sinks(String cameraId, StreamKind kind) {
                return List.of();
            }

            @Override
            public void release(String cameraId) {
            }
        }));
    }

    private Outbox outbox(Outbox outbox) {
        opened.add(outbox::close);
        return outbox;
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
