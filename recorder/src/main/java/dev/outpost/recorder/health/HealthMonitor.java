package dev.outpost.recorder.health;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.link.LinkTraffic;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.outbox.OutboxFullException;
import dev.outpost.recorder.recording.RecordingStatus;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.snapshot.Snapshot;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.CameraImage;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the recorder's health and puts an alert in the outbox for each change a person should hear of (issue 7):
 * a camera offline (down longer than {@link HealthSettings#cameraGrace()}) and back, recording failed, the
 * recordings' disk nearly full, failing (a probe write, forced to the device, fails: {@link DiskProbe}) and back, the
 * recorder started (after a clean stop or not), and the link back after an
 * outage longer than {@link HealthSettings#linkOutage()}, with how long it was down. And at each of
 * {@link HealthSettings#dayNightTimes()}, a picture of every camera (a day/night image). Each condition is reported once
 * when it starts and re-armed when it ends. Checks run every {@link HealthSettings#checkEvery()} on one virtual
 * thread; {@link #check()} is one round, for tests.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    static final String RUNNING_MARKER = "running";

    private final HealthSettings settings;
    private final Outbox outbox;
    private final Clock clock;
    private final Supplier<Map<String, CameraStatus>> cameras;
    private final Supplier<LinkStatus> link;
    private final Recordings recordings;
    private final Path recordingsDir;
    private final CameraPictures pictures;
    private final Path marker;

    private final Map<String, Instant> offlineSince = new HashMap<>();
    private final Set<String> reportedOffline = new HashSet<>();
    private final Set<String> recordingFailed = new HashSet<>();
    private boolean diskReported;
    private final DiskProbe diskProbe;
    private Optional<Instant> diskFailingSince = Optional.empty();
    private boolean linkWasOnline;
    private Optional<Instant> linkDownSince = Optional.empty();
    private Optional<Instant> lastCheck = Optional.empty();
    private volatile Optional<LinkTraffic> traffic = Optional.empty();
    /** The link's own bytes (wire less content) counted as baseline so far. */
    private long countedOwn;
    private Instant usageSaved = Instant.EPOCH;
    private final Object lock = new Object();
    /** An alert the outbox could not write yet: its body and image. */
    private record Unsaved(String body, byte[] image) {
    }

    /** At most this many alerts wait in memory for an outbox that cannot write; the oldest go past it. */
    static final int MAX_UNSAVED = 100;
    private final java.util.ArrayDeque<Unsaved> unsaved = new java.util.ArrayDeque<>();
    private boolean retrying;
    private volatile boolean closed;
    private Thread worker;

    /**
     * @param cameras       the main stream's status of every camera, by id
     * @param link          the link's status now
     * @param recordingsDir where recordings are written: its disk is the one watched
     * @param stateDir      where the monitor notes that the recorder runs (to tell a crash from a clean stop)
     */
    public HealthMonitor(HealthSettings settings, Outbox outbox, Clock clock, Supplier<Map<String, CameraStatus>> cameras,
                         Supplier<LinkStatus> link, Recordings recordings, Path recordingsDir, CameraPictures pictures,
                         Path stateDir) {
        this.settings = settings;
        this.outbox = outbox;
        this.clock = clock;
        this.cameras = cameras;
        this.link = link;
        this.recordings = recordings;
        this.recordingsDir = recordingsDir;
        this.diskProbe = new DiskProbe(recordingsDir);
        this.pictures = pictures;
        this.marker = stateDir.resolve(RUNNING_MARKER);
    }

    /** Reports the start, then checks every {@link HealthSettings#checkEvery()} until closed. */
    public void start() throws IOException {
        boolean crashed = Files.exists(marker);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, clock.instant().toString());
        alert(HealthAlert.RECORDER_RESTARTED, "", crashed
                ? "Recorder started again after it stopped unexpectedly (power loss or crash)"
                : "Recorder started", 0, false);
        worker = Thread.ofVirtual().name("health-monitor").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.warn("health check failed: {}", e.toString());
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                try {
                    lock.wait(settings.checkEvery().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One round of checks; one at a time. */
    public synchronized void check() {
        Instant now = clock.instant();
        keepUnsaved();
        checkCameras(now);
        checkRecording();
        checkDisk();
        checkDiskWrites(now);
        checkLink(now);
        checkDayNight(now);
        countBaseline(now);
        lastCheck = Optional.of(now);
    }

    /** Counts the link's own bytes ({@link DataUsage#BASELINE}) from {@code traffic}, checked with the rest. */
    public void countLinkTraffic(LinkTraffic linkTraffic) {
        this.traffic = Optional.of(linkTraffic);
    }

    /**
     * The link's bytes that were not content are baseline; counts are saved every minute. The two counters are read
     * at different points of the pipeline (a stream's content as it is written, the connection's bytes as TLS sends
     * them, later under flow control), so between two checks content can run ahead of the wire: the baseline is the
     * running total of wire less content, counted only as it grows, so that skew is never counted as the link's.
     */
    private void countBaseline(Instant now) {
        if (traffic.isPresent()) {
            long own = traffic.get().wireBytes() - traffic.get().contentBytes();
            if (own > countedOwn) {
                outbox.usage().add(DataUsage.BASELINE, own - countedOwn);
                countedOwn = own;
            }
        }
        if (Duration.between(usageSaved, now).toSeconds() >= 60) {
            outbox.usage().save();
            usageSaved = now;
        }
    }

    /** At each configured time of day passed since the last check, one picture of every camera that has one. */
    private void checkDayNight(Instant now) {
        if (lastCheck.isEmpty()) {
            return; // times passed before the recorder started are not made up
        }
        for (LocalTime time : settings.dayNightTimes()) {
            ZonedDateTime today = now.atZone(settings.zone()).with(time);
            Instant due = today.toInstant().isAfter(now) ? today.minusDays(1).toInstant() : today.toInstant();
            if (due.isAfter(lastCheck.get()) && !due.isAfter(now)) {
                String slot = String.format("%02d:%02d", time.getHour(), time.getMinute());
                for (String camera : new java.util.TreeSet<>(cameras.get().keySet())) {
                    dayNightImage(camera, slot);
                }
            }
        }
    }

    private void dayNightImage(String cameraId, String slot) {
        Optional<Snapshot> picture = pictures.now(cameraId);
        if (picture.isEmpty()) {
            LOG.info("no {} day/night image of camera {}: it has no picture now", slot, cameraId);
            return;
        }
        Snapshot snapshot = picture.get();
        CameraImage image = new CameraImage(cameraId, clock.instant(), slot, snapshot.width(), snapshot.height());
        try {
            outbox.add(OutboxKind.DAY_NIGHT_IMAGE, new String(Json.write(image), StandardCharsets.UTF_8),
                    snapshot.jpeg(), "image/jpeg");
        } catch (IOException e) {
            LOG.warn("cannot keep the {} image of camera {} for the cloud: {}", slot, cameraId, e.getMessage());
        }
    }

    private void checkCameras(Instant now) {
        Map<String, CameraStatus> statuses = cameras.get();
        for (var entry : statuses.entrySet()) {
            String id = entry.getKey();
            CameraStatus status = entry.getValue();
            boolean streaming = status.state() == CameraStatus.State.STREAMING;
            if (!streaming) {
                Instant since = offlineSince.computeIfAbsent(id, k -> status.since().isBefore(now) ? status.since() : now);
                if (!reportedOffline.contains(id) && !Duration.between(since, now).minus(settings.cameraGrace()).isNegative()) {
                    reportedOffline.add(id);
                    alert(HealthAlert.CAMERA_OFFLINE, id, "Camera " + id + " is offline"
                            + status.lastError().map(e -> ": " + e).orElse(""), 0, false);
                }
            } else {
                Instant since = offlineSince.remove(id);
                if (reportedOffline.remove(id)) {
                    long down = since == null ? 0 : Duration.between(since, now).toSeconds();
                    alert(HealthAlert.CAMERA_ONLINE, id, "Camera " + id + " is back online after "
                            + Durations.words(down), down, true);
                }
            }
        }
        offlineSince.keySet().retainAll(statuses.keySet()); // removed cameras are not offline
        reportedOffline.retainAll(statuses.keySet());
    }

    private void checkRecording() {
        Set<String> failedNow = new HashSet<>();
        for (var entry : recordings.statuses().entrySet()) {
            RecordingStatus status = entry.getValue();
            String camera = entry.getKey().cameraId();
            if (status.state() == RecordingStatus.State.FAILED) {
                failedNow.add(camera);
                if (!recordingFailed.contains(camera)) {
                    alert(HealthAlert.RECORDING_STOPPED, camera, "Camera " + camera + " stopped recording"
                            + status.lastError().map(e -> ": " + e).orElse(""), 0, true);
                }
            }
        }
        recordingFailed.clear();
        recordingFailed.addAll(failedNow);
    }

    private void checkDisk() {
        try {
            Path existing = recordingsDir;
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent(); // nothing recorded yet: the disk it will be on
            }
            FileStore store = Files.getFileStore(existing);
            long total = store.getTotalSpace();
            if (total <= 0) {
                return;
            }
            double freePercent = 100.0 * store.getUsableSpace() / total;
            if (!diskReported && freePercent < settings.diskFreePercent()) {
                diskReported = true;
                alert(HealthAlert.DISK_NEARLY_FULL, "", String.format("The recording disk is nearly full: %.1f%% free",
                        freePercent), 0, false);
            } else if (diskReported && freePercent >= settings.diskFreePercent() + 2) {
                diskReported = false;
            }
        } catch (IOException e) {
            LOG.debug("cannot read the free space of {}: {}", recordingsDir, e.getMessage());
        }
    }

    /** A probe write on the recordings' disk: its failure is reported once, and its recovery with how long it took. */
    private void checkDiskWrites(Instant now) {
        Optional<String> problem = diskProbe.problem();
        if (problem.isPresent() && diskFailingSince.isEmpty()) {
            diskFailingSince = Optional.of(now);
            alert(HealthAlert.DISK_FAILING, "", "The recording disk is failing: " + problem.get(), 0, false);
        } else if (problem.isEmpty() && diskFailingSince.isPresent()) {
            long down = Duration.between(diskFailingSince.get(), now).toSeconds();
            diskFailingSince = Optional.empty();
            alert(HealthAlert.DISK_RECOVERED, "", "The recording disk takes writes again after "
                    + Durations.words(down), down, false);
        }
    }

    private void checkLink(Instant now) {
        LinkStatus status = link.get();
        boolean online = status.state() == LinkStatus.State.ONLINE;
        if (online) {
            if (linkDownSince.isPresent()) {
                Duration down = Duration.between(linkDownSince.get(), status.since().isAfter(linkDownSince.get())
                        ? status.since() : now);
                if (down.compareTo(settings.linkOutage()) >= 0) {
                    alert(HealthAlert.LINK_RESTORED, "", "The link to the cloud is back after an outage of "
                            + Durations.words(down.toSeconds()), down.toSeconds(), false);
                }
                linkDownSince = Optional.empty();
            }
            linkWasOnline = true;
        } else if (linkWasOnline && linkDownSince.isEmpty()) {
            linkDownSince = Optional.of(status.since().isBefore(now) ? status.since() : now);
        }
    }

    /**
     * Puts an alert in the outbox, with a picture of its camera if asked, allowed by the settings and there is one.
     * Public for tools that raise alerts as the monitor does (the data-usage benchmark).
     */
    public void alert(String type, String cameraId, String message, long downSeconds, boolean withImage) {
        HealthAlert alert = new HealthAlert(type, cameraId, message, clock.instant(), downSeconds);
        byte[] image = new byte[0];
        if (withImage && settings.alertImages() && !cameraId.isEmpty()) {
            image = pictures.now(cameraId).map(Snapshot::jpeg).orElse(new byte[0]);
        }
        LOG.info("alert: {}", message);
        synchronized (unsaved) {
            unsaved.add(new Unsaved(new String(Json.write(alert), StandardCharsets.UTF_8), image));
            while (unsaved.size() > MAX_UNSAVED) {
                LOG.warn("alert '{}' lost: {} alerts wait for a writable outbox already", unsaved.peekFirst().body(),
                        MAX_UNSAVED);
                unsaved.removeFirst();
            }
            keepUnsaved();
        }
    }

    /**
     * Hands waiting alerts to the outbox, oldest first, until one is refused. An alert the outbox's disk refuses (a
     * failing disk that holds the data directory too) stays in memory and is tried again at each check, so the
     * "disk failing" alert still reaches the cloud once that disk takes writes again, or after it is replaced.
     */
    private void keepUnsaved() {
        synchronized (unsaved) {
            while (!unsaved.isEmpty()) {
                Unsaved next = unsaved.peekFirst();
                try {
                    outbox.add(OutboxKind.ALERT, next.body(), next.image(), "image/jpeg");
                    unsaved.removeFirst();
                } catch (OutboxFullException e) {
                    LOG.warn("alert {} cannot be kept for the cloud: {}", next.body(), e.getMessage());
                    unsaved.removeFirst();
                } catch (IOException e) {
                    if (!retrying) {
                        LOG.warn("cannot keep {} alerts for the cloud ({}); trying again at each check",
                                unsaved.size(), e.getMessage());
                    }
                    retrying = true;
                    return;
                }
            }
            retrying = false;
        }
    }

    /** Stops checking, and notes the stop was clean. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("cannot note the clean stop in {}: {}", marker, e.getMessage());
        }
    }
}
