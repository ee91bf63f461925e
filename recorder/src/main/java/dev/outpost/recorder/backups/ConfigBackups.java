package dev.outpost.recorder.backups;

import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraRefused;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.RtpTransport;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ConfigBackup;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the recorder's configuration into the outbox (weekly, on a virtual thread, and on demand) and applies a
 * restored one. The time of the last backup is kept in {@code DATA/backups/last} so a restart does not reset the
 * week. Blocking (file I/O): call it from virtual threads.
 */
public final class ConfigBackups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigBackups.class);
    public static final Duration EVERY = Duration.ofDays(7);
    /** A recorder never backed up takes its first backup this long after starting, once its cameras settled. */
    static final Duration FIRST = Duration.ofMinutes(10);

    private final String recorderId;
    private final CameraSet cameras;
    private final Outbox outbox;
    private final Clock clock;
    private final Path lastFile;
    private final Duration every;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean closed;
    private Thread worker;

    public ConfigBackups(String recorderId, CameraSet cameras, Outbox outbox, Clock clock, Path dir) {
        this(recorderId, cameras, outbox, clock, dir, EVERY);
    }

    /** @param every how often a backup is taken by itself; zero for on demand only */
    public ConfigBackups(String recorderId, CameraSet cameras, Outbox outbox, Clock clock, Path dir, Duration every) {
        this.every = every;
        this.recorderId = recorderId;
        this.cameras = cameras;
        this.outbox = outbox;
        this.clock = clock;
        this.lastFile = dir.resolve("last");
    }

    /** Starts the weekly (or every {@code every}) backups; none when backups are on demand only. */
    public void start() {
        if (every.isZero()) {
            LOG.info("config backups on demand only");
            return;
        }
        worker = Thread.ofVirtual().name("config-backups").start(this::run);
    }

    /** The configuration as it is now. */
    public ConfigBackup document() {
        List<ConfigBackup.Camera> list = cameras.cameras().stream().map(Camera::config)
                .map(c -> new ConfigBackup.Camera(c.id(), c.name(), c.mainUrl().toString(), c.subUrl().toString(),
                        c.transport().label()))
                .toList();
        return new ConfigBackup(ConfigBackup.FORMAT, recorderId, clock.instant(), list);
    }

    /**
     * Puts a backup into the outbox.
     *
     * @return its outbox key
     */
    public String take() throws IOException {
        ConfigBackup backup = document();
        String body = new String(Json.write(Map.of("takenAt", backup.takenAt().toString(),
                "cameras", backup.cameras().size())), StandardCharsets.UTF_8);
        String key = outbox.add(OutboxKind.CONFIG_BACKUP, body, backup.toJson(), "application/json");
        Files.createDirectories(lastFile.getParent());
        Files.writeString(lastFile, backup.takenAt().toString());
        LOG.info("config backup {} of {} cameras in the outbox", key, backup.cameras().size());
        return key;
    }

    /**
     * Replaces the cameras with a backup's, saved.
     *
     * @throws IllegalArgumentException naming the field of the document that is wrong; nothing changed
     * @throws CameraRefused            the cameras cannot all be taken; nothing changed
     */
    public List<Camera> restore(ConfigBackup backup) throws CameraRefused, IOException {
        List<CameraConfig> configs = new ArrayList<>();
        for (int i = 0; i < backup.cameras().size(); i++) {
            ConfigBackup.Camera c = backup.cameras().get(i);
            String at = "cameras[" + i + "]";
            try {
                configs.add(new CameraConfig(c.id(), c.name(), url(at + ".mainUrl", c.mainUrl()),
                        url(at + ".subUrl", c.subUrl()), RtpTransport.fromLabel(c.transport())));
            } catch (IllegalArgumentException e) {
                // CameraConfig's messages never hold a password.
                throw new IllegalArgumentException("config backup: " + at + ": " + e.getMessage(), e);
            }
        }
        List<Camera> running = cameras.replace(configs);
        LOG.info("config backup of recorder {} taken {} restored: {} cameras", backup.recorderId(), backup.takenAt(),
                running.size());
        return running;
    }

    private static URI url(String field, String text) {
        if (text.startsWith("aesgcm:")) {
            throw new IllegalArgumentException(field + " is still sealed: restore through the cloud, which opens it");
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a URL (" + e.getReason() + ")");
        }
    }

    private Instant due() {
        try {
            return Instant.parse(Files.readString(lastFile).strip()).plus(every);
        } catch (NoSuchFileException e) {
            return clock.instant().plus(FIRST);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} is unreadable ({}): the next config backup is taken soon", lastFile, e.getMessage());
            return clock.instant().plus(FIRST);
        }
    }

    private void run() {
        while (true) {
            Instant due = due();
            lock.lock();
            try {
                while (!closed && clock.instant().isBefore(due)) {
                    long nanos = Duration.between(clock.instant(), due).toNanos();
                    wake.awaitNanos(Math.min(nanos, TimeUnit.MINUTES.toNanos(10)));
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                take();
            } catch (IOException | RuntimeException e) {
                LOG.warn("the weekly config backup failed ({}); trying again in an hour", e.getMessage());
                lock.lock();
                try {
                    if (!closed) {
                        wake.await(1, TimeUnit.HOURS);
                    }
                } catch (InterruptedException interrupted) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
