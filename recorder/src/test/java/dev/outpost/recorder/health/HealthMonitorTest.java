package dev.outpost.recorder.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMonitorTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();
    final AtomicReference<CameraStatus.State> camera = new AtomicReference<>(CameraStatus.State.STREAMING);
    final AtomicReference<Instant> cameraSince = new AtomicReference<>(clock.now);
    final AtomicReference<LinkStatus> link = new AtomicReference<>(link(LinkStatus.State.CONNECTING, clock.now));
    Recordings recordings;
    Outbox outbox;

    @AfterEach
    void close() {
        recordings.close();
    }

    HealthMonitor monitor(Path dir) throws Exception {
        recordings = Recordings.open(dir.resolve("recordings"), RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(1L << 30, Duration.ofDays(1)), clock);
        outbox = Outbox.open(dir.resolve("outbox"), Outbox.Limits.DEFAULTS, clock,
                DataUsage.open(dir.resolve("usage.json"), clock));
        HealthSettings settings = HealthSettings.DEFAULTS.withChecks(Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
        return new HealthMonitor(settings, outbox, clock, () -> Map.of("gate", status(camera.get(), cameraSince.get())),
                link::get, recordings, dir.resolve("recordings"), new CameraPictures(new LiveHubs()), dir.resolve("health"));
    }

    @Test
    void eachChangeIsReportedOnceAndTheLinksOutageWithItsLength(@TempDir Path dir) throws Exception {
        HealthMonitor monitor = monitor(dir);
        monitor.start();
        monitor.check();
        assertThat(alerts()).extracting(HealthAlert::type).containsExactly(HealthAlert.RECORDER_RESTARTED);
        assertThat(alerts().getFirst().message()).isEqualTo("Recorder started");

        link.set(link(LinkStatus.State.ONLINE, clock.now));
        monitor.check();
        clock.now = clock.now.plusSeconds(10);
        link.set(link(LinkStatus.State.WAITING, clock.now));
        camera.set(CameraStatus.State.RETRYING);
        cameraSince.set(clock.now);
        monitor.check();
        clock.now = clock.now.plusSeconds(29);
        monitor.check();
        assertThat(alerts()).as("not within the grace").hasSize(1);

        clock.now = clock.now.plusSeconds(1);
        monitor.check();
        monitor.check();
        clock.now = clock.now.plusSeconds(100);
        camera.set(CameraStatus.State.STREAMING);
        link.set(link(LinkStatus.State.ONLINE, clock.now));
        monitor.check();
        monitor.check();

        List<HealthAlert> alerts = alerts();
        assertThat(alerts).extracting(HealthAlert::type).containsExactly(HealthAlert.RECORDER_RESTARTED,
                HealthAlert.CAMERA_OFFLINE, HealthAlert.CAMERA_ONLINE, HealthAlert.LINK_RESTORED);
        assertThat(alerts.get(1).cameraId()).isEqualTo("gate");
        assertThat(alerts.get(1).message()).isEqualTo("Camera gate is offline: connection refused");
        assertThat(alerts.get(2).downSeconds()).isEqualTo(130);
        assertThat(alerts.get(2).message()).isEqualTo("Camera gate is back online after 2 min 10 s");
        assertThat(alerts.get(3).downSeconds()).isEqualTo(130);
        assertThat(alerts.get(3).message()).isEqualTo("The link to the cloud is back after an outage of 2 min 10 s");

        clock.now = clock.now.plusSeconds(5);
        link.set(link(LinkStatus.State.WAITING, clock.now));
        monitor.check();
        clock.now = clock.now.plusSeconds(5);
        link.set(link(LinkStatus.State.ONLINE, clock.now));
        monitor.check();
        assertThat(alerts()).as("a short outage is not worth an alert").hasSize(4);
        monitor.close();
    }

    @Test
    void aStartAfterACrashSaysSo(@TempDir Path dir) throws Exception {
        HealthMonitor first = monitor(dir);
        first.start(); // and never closed: the process died
        recordings.close();
        HealthMonitor second = monitor(dir);
        second.start();
        assertThat(alerts()).extracting(HealthAlert::message)
                .containsExactly("Recorder started", "Recorder started again after it stopped unexpectedly (power loss or crash)");
        second.close();
        recordings.close();
        HealthMonitor third = monitor(dir);
        third.start();
        assertThat(alerts()).extracting(HealthAlert::message).endsWith("Recorder started");
        third.close();
        first.close();
    }

    private List<HealthAlert> alerts() throws InterruptedException {
        return outbox.poll(100, Duration.ZERO).stream().map(OutboxEnvelope::body)
                .map(body -> Json.read(body.getBytes(StandardCharsets.UTF_8), HealthAlert.class)).toList();
    }

    private static CameraStatus status(CameraStatus.State state, Instant since) {
        return new CameraStatus(state, since, state == CameraStatus.State.STREAMING ? Optional.empty()
                : Optional.of("connection refused"), 0, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Optional.empty());
    }

    private static LinkStatus link(LinkStatus.State state, Instant since) {
        return new LinkStatus(state, since, Optional.empty(), false, Optional.empty(), Optional.empty(), 0);
    }
}
