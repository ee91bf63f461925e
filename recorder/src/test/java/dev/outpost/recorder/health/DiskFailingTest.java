package dev.outpost.recorder.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.testkit.TmpfsMount;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxEnvelope;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Disk failing" on real file systems: the recordings directory is a mount point of its own (as an NVR's recording
 * disk is), a tmpfs remounted read-only, and an ext4 file system on a loop device whose image stops growing, so its
 * writes fail at the device. (This machine's kernel has no device-mapper, so no {@code dm-error} target.) Mounting needs
 * root (CAP_SYS_ADMIN); without it these tests are skipped, saying so. Every mount, mapping and loop device is undone
 * after each test, even when it fails.
 */
class DiskFailingTest {
    @TempDir
    Path dir;
    Path mountPoint;
    final HealthMonitorTest.ManualClock clock = new HealthMonitorTest.ManualClock();
    /** What undoes what the test set up, closed last-in first-out. */
    final Deque<AutoCloseable> undo = new ArrayDeque<>();
    Recordings recordings;
    Outbox outbox;
    HealthMonitor monitor;

    @BeforeEach
    void needsRoot() throws IOException {
        assumeTrue(TmpfsMount.possible(),
                "skipped: mounting a file system for the recordings needs root (CAP_SYS_ADMIN)");
        mountPoint = Files.createDirectories(dir.resolve("recordings"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (recordings != null) {
            recordings.close();
        }
        while (!undo.isEmpty()) {
            undo.pop().close();
        }
    }

    /** Runs {@code command} when the test ends; an unmount that finds the disk busy is done lazily. */
    private void atEnd(String... command) {
        undo.push(() -> {
            if (exec(List.of(command)) != 0 && command[0].equals("umount")) {
                exec(List.of("umount", "-l", command[command.length - 1]));
            }
        });
    }

    private TmpfsMount tmpfs(Path on, int megabytes) throws IOException {
        TmpfsMount mount = TmpfsMount.on(on, megabytes);
        undo.push(mount);
        return mount;
    }

    @Test
    void aRecordingDiskTurnedReadOnlyIsFailingAndRecoversWhenWritable() throws Exception {
        TmpfsMount disk = tmpfs(mountPoint, 8);
        startMonitor();
        monitor.check();
        assertThat(types()).containsExactly(HealthAlert.RECORDER_RESTARTED);

        disk.readOnly();
        monitor.check();
        clock.now = clock.now.plusSeconds(40);
        monitor.check();
        List<HealthAlert> alerts = alerts();
        assertThat(alerts).extracting(HealthAlert::type).as("reported once")
                .containsExactly(HealthAlert.RECORDER_RESTARTED, HealthAlert.DISK_FAILING);
        assertThat(alerts.getLast().message()).isEqualTo("The recording disk is failing: cannot write " + mountPoint
                + ": Read-only file system");

        clock.now = clock.now.plusSeconds(50);
        disk.writable();
        monitor.check();
        monitor.check();
        alerts = alerts();
        assertThat(alerts).extracting(HealthAlert::type).containsExactly(HealthAlert.RECORDER_RESTARTED,
                HealthAlert.DISK_FAILING, HealthAlert.DISK_RECOVERED);
        assertThat(alerts.getLast().downSeconds()).isEqualTo(90);
        assertThat(alerts.getLast().message()).isEqualTo("The recording disk takes writes again after 1 min 30 s");
        try (var left = Files.list(mountPoint)) {
            assertThat(left).as("the probe leaves nothing behind").isEmpty();
        }
    }

    @Test
    void whenTheOutboxIsOnTheFailingDiskTooTheAlertWaitsInMemoryUntilItWritesAgain() throws Exception {
        // One disk for everything: the recordings and the outbox (the data directory) fail together.
        TmpfsMount disk = tmpfs(mountPoint, 8);
        startMonitor(mountPoint.resolve("outbox"));
        monitor.check();
        assertThat(types()).containsExactly(HealthAlert.RECORDER_RESTARTED);

        disk.readOnly();
        monitor.check();
        monitor.check();
        assertThat(types()).as("the outbox cannot write it yet").containsExactly(HealthAlert.RECORDER_RESTARTED);

        clock.now = clock.now.plusSeconds(600);
        disk.writable();
        monitor.check();
        List<HealthAlert> alerts = alerts();
        assertThat(alerts).extracting(HealthAlert::type).containsExactly(HealthAlert.RECORDER_RESTARTED,
                HealthAlert.DISK_FAILING, HealthAlert.DISK_RECOVERED);
        assertThat(alerts.get(1).at()).as("when it happened, not when it was written").isEqualTo(
                alerts.getFirst().at());
        assertThat(alerts.get(2).message()).isEqualTo("The recording disk takes writes again after 10 min");
    }

    @Test
    void aDiskThatFailsWritesWhileMostlyFreeIsFailing() throws Exception {
        // An ext4 disk on a loop device whose image lives on a small tmpfs: once that tmpfs is full, the image cannot
        // grow, and the loop device fails writes to the blocks it has not stored yet, as a dying or thin disk does.
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "skipped: this kernel has no loop devices");
        Path backing = Files.createDirectories(dir.resolve("backing"));
        tmpfs(backing, 24);
        Path image = backing.resolve("disk.img");
        run("truncate", "-s", "64M", image.toString());
        String loop = output("losetup", "--find", "--show", image.toString()).strip();
        atEnd("losetup", "-d", loop);
        run("mkfs.ext4", "-q", "-F", loop);
        run("mount", loop, mountPoint.toString());
        atEnd("umount", mountPoint.toString());
        // Filled before the first probe: the probe's data block is one the image never stored. (A probe written
        // before would leave blocks in the image that ext4 may hand the next probe again, which then succeeds.)
        fill(backing.resolve("filler"));
        startMonitor();
        monitor.check();
        List<HealthAlert> alerts = alerts();
        assertThat(alerts).extracting(HealthAlert::type).containsExactly(HealthAlert.RECORDER_RESTARTED,
                HealthAlert.DISK_FAILING);
        assertThat(alerts.getLast().message()).startsWith("The recording disk is failing: cannot write " + mountPoint)
                .containsAnyOf("Input/output error", "MiB are free");

        Files.delete(backing.resolve("filler"));
        clock.now = clock.now.plusSeconds(3600);
        monitor.check();
        assertThat(types()).as("writes reach the device again").endsWith(HealthAlert.DISK_RECOVERED);
    }

    @Test
    void aFullDiskIsNearlyFullNotFailing() throws Exception {
        tmpfs(mountPoint, 1);
        fill(mountPoint.resolve("filler"));
        startMonitor();
        monitor.check();
        assertThat(types()).containsExactly(HealthAlert.RECORDER_RESTARTED, HealthAlert.DISK_NEARLY_FULL);
    }

    /** Writes zeros to {@code file} until its file system is full. */
    private static void fill(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[65536];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
    }

    private void startMonitor() throws IOException {
        startMonitor(dir.resolve("outbox"));
    }

    private void startMonitor(Path outboxDir) throws IOException {
        recordings = Recordings.open(mountPoint, RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(1L << 30, Duration.ofDays(1)), clock);
        outbox = Outbox.open(outboxDir, Outbox.Limits.DEFAULTS, clock,
                DataUsage.open(dir.resolve("usage.json"), clock));
        HealthSettings settings = HealthSettings.DEFAULTS.withChecks(Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
        CameraStatus streaming = new CameraStatus(CameraStatus.State.STREAMING, clock.now, Optional.empty(), 0,
                Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());
        LinkStatus link = new LinkStatus(LinkStatus.State.ONLINE, clock.now, Optional.empty(), false, Optional.empty(),
                Optional.empty(), 0);
        monitor = new HealthMonitor(settings, outbox, clock, () -> Map.of("gate", streaming), () -> link, recordings,
                mountPoint, new CameraPictures(new LiveHubs()), dir.resolve("health"));
        monitor.start();
    }

    private List<String> types() throws InterruptedException {
        return alerts().stream().map(HealthAlert::type).toList();
    }

    private List<HealthAlert> alerts() throws InterruptedException {
        return outbox.poll(100, Duration.ZERO).stream().map(OutboxEnvelope::body)
                .map(body -> Json.read(body.getBytes(StandardCharsets.UTF_8), HealthAlert.class)).toList();
    }

    private static void run(String... command) throws Exception {
        run(List.of(command), "");
    }

    private static void run(List<String> command, String input) throws Exception {
        Process process = start(command, input);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, out).isZero();
    }

    private static String output(String... command) throws Exception {
        Process process = start(List.of(command), "");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", List.of(command), out).isZero();
        return out;
    }

    private static int exec(List<String> command) throws Exception {
        Process process = start(command, "");
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static Process start(List<String> command, String input) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        return process;
    }
}
