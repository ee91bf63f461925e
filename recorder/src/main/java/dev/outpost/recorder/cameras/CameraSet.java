package dev.outpost.recorder.cameras;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's running cameras, which can be added, changed and removed while it runs, each change saved in
 * {@code DATA/cameras.json} before it takes effect so it survives a restart.
 *
 * <p>Where the cameras come from: until the first change at runtime, from the config file. Once
 * {@code cameras.json} exists it is the truth: its cameras start as it says, even if the config file says otherwise
 * for the same id. Config-file cameras whose ids it does not know are added at start (an installer can still add
 * cameras to the file), unless they were removed at runtime: the file remembers those ids, so a removed camera
 * stays removed.
 *
 * <p>Each camera's pictures go to the {@link Outlets} (live hubs, recordings). A changed camera keeps its outlets:
 * its old streams are closed and, once they can call no sink again, new ones with the new settings take the same
 * sinks, so live viewers stay connected across the gap and the recording goes on in a new segment. A removed
 * camera's outlets are released: its live viewers' responses end, its recording stops and its files stay.
 *
 * <p>Thread-safety: reads ({@link #cameras}, {@link #find}) take no lock and see a consistent list. Changes are
 * serialized and block on file I/O and on streams closing, so they run on virtual threads, never on an event loop.
 */
public final class CameraSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSet.class);
    /** What one recorder takes: two streams each, at a few Mbit/s, is past what one machine records anyway. */
    public static final int MAX_CAMERAS = 256;
    /** How long a changed or removed camera's streams may take to close on their event loops. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** Where a camera's pictures go, and what becomes of that when the camera goes. */
    public interface Outlets {
        /**
         * The sinks of one stream of a camera. Asked again when the camera is changed, it gives the same sinks, so
         * viewers and recording carry on across the change.
         */
        List<VideoSink> sinks(String cameraId, StreamKind kind);

        /** The camera was removed: its sinks end (live viewers' responses finish, recordings close). May block. */
        void release(String cameraId);
    }

    private final CameraFile file;
    private final Set<String> configuredIds;
    private final Set<String> reservedIds;
    private final EventLoopGroup group;
    private final Outlets outlets;
    private final CameraStream.Timing timing;
    private final ReentrantLock changes = new ReentrantLock();

    /** Running cameras in order; replaced whole under {@link #changes}, read without it. */
    private volatile List<Camera> cameras = List.of();
    // Guarded by changes.
    private List<String> removed = List.of();
    private boolean closed;

    private CameraSet(CameraFile file, Set<String> configuredIds, Set<String> reservedIds, EventLoopGroup group,
                      Outlets outlets, CameraStream.Timing timing) {
        this.file = file;
        this.configuredIds = Set.copyOf(configuredIds);
        this.reservedIds = Set.copyOf(reservedIds);
        this.group = group;
        this.outlets = outlets;
        this.timing = timing;
    }

    /**
     * Starts the cameras that {@code DATA/cameras.json} and the config file make up (see the class comment).
     *
     * @param configured  the config file's cameras (and {@code --camera} flags)
     * @param reservedIds ids no camera may take: the sample cameras'
     * @throws IOException if {@code cameras.json} cannot be read or is not a camera list, or the cameras are more
     *                     than {@link #MAX_CAMERAS} or share an id; the message says what to fix
     */
    public static CameraSet open(Path dataDir, List<CameraConfig> configured, Set<String> reservedIds,
                                 EventLoopGroup group, Outlets outlets) throws IOException {
        return open(dataDir, configured, reservedIds, group, outlets, CameraStream.Timing.DEFAULT);
    }

    static CameraSet open(Path dataDir, List<CameraConfig> configured, Set<String> reservedIds, EventLoopGroup group,
                          Outlets outlets, CameraStream.Timing timing) throws IOException {
        CameraFile file = new CameraFile(dataDir);
        Set<String> configuredIds = new LinkedHashSet<>();
        configured.forEach(c -> configuredIds.add(c.id()));
        CameraSet set = new CameraSet(file, configuredIds, reservedIds, Objects.requireNonNull(group, "group"),
                Objects.requireNonNull(outlets, "outlets"), timing);
        Optional<CameraFile.Contents> saved = file.load();
        List<CameraConfig> starting = new ArrayList<>(saved.map(CameraFile.Contents::cameras).orElse(List.of()));
        // Only config-file ids need remembering: the others cannot come back by themselves.
        List<String> removed = saved.map(CameraFile.Contents::removed).orElse(List.of()).stream()
                .filter(configuredIds::contains).distinct().toList();
        if (saved.isPresent()) {
            for (CameraConfig camera : configured) {
                Optional<CameraConfig> kept = starting.stream().filter(c -> c.id().equals(camera.id())).findFirst();
                if (kept.isPresent()) {
                    if (!kept.get().equals(camera)) {
                        LOG.info("camera {}: the config file's settings differ from {}, where it was changed at "
                                + "runtime; those are used", camera.id(), file.path());
                    }
                } else if (removed.contains(camera.id())) {
                    LOG.info("camera {} of the config file was removed at runtime and stays removed ({})",
                            camera.id(), file.path());
                } else {
                    starting.add(camera);
                }
            }
        } else {
            starting.addAll(configured);
        }
        set.check(starting, file);
        set.removed = removed;
        List<Camera> running = new ArrayList<>();
        for (CameraConfig config : starting) {
            running.add(set.start(config));
        }
        set.cameras = List.copyOf(running);
        return set;
    }

    /** The running cameras, in the order they were added; a change keeps a camera's place. */
    public List<Camera> cameras() {
        return cameras;
    }

    public Optional<Camera> find(String id) {
        return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * Adds and starts a camera, saved first. Blocks on file I/O.
     *
     * @throws CameraRefused the id is taken, or the recorder has {@link #MAX_CAMERAS} cameras
     * @throws IOException   the list could not be saved; nothing changed
     */
    public Camera add(CameraConfig config) throws CameraRefused, IOException {
        changes.lock();
        try {
            checkOpen();
            if (find(config.id()).isPresent()) {
                throw new CameraRefused(CameraRefused.Reason.ID_TAKEN, "a camera with the id " + config.id()
                        + " exists already: change that one, or choose another id");
            }
            if (reservedIds.contains(config.id())) {
                throw new CameraRefused(CameraRefused.Reason.ID_TAKEN, "the id " + config.id()
                        + " is taken by a sample camera: choose another id");
            }
            if (cameras.size() >= MAX_CAMERAS) {
                throw new CameraRefused(CameraRefused.Reason.TOO_MANY_CAMERAS, "this recorder has " + MAX_CAMERAS
                        + " cameras, as many as it takes: remove one first");
            }
            List<CameraConfig> next = new ArrayList<>(configs());
            next.add(config);
            List<String> stillRemoved = removed.stream().filter(id -> !id.equals(config.id())).toList();
            file.save(new CameraFile.Contents(next, stillRemoved));
            Camera camera = start(config);
            List<Camera> running = new ArrayList<>(cameras);
            running.add(camera);
            cameras = List.copyOf(running);
            removed = stillRemoved;
            LOG.info("camera {} ({}) added", config.id(), config.name());
            return camera;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Gives a camera new settings, saved first: its streams restart with them, and its live viewers and recording
     * go on. Settings equal to the current ones change nothing. Blocks on file I/O and on the old streams closing.
     *
     * @throws CameraRefused no camera has the id
     * @throws IOException   the list could not be saved; nothing changed
     */
    public Camera change(CameraConfig config) throws CameraRefused, IOException {
        changes.lock();
        try {
            checkOpen();
            Camera old = find(config.id()).orElseThrow(() -> noSuchCamera(config.id()));
            if (old.config().equals(config)) {
                return old;
            }
            List<CameraConfig> next = configs().stream().map(c -> c.id().equals(config.id()) ? config : c).toList();
            file.save(new CameraFile.Contents(next, removed));
            old.close();
            awaitClosed(old); // so the sinks never hear the old streams and the new ones at once
            for (StreamKind kind : StreamKind.values()) {
                outlets.sinks(old.id(), kind).forEach(old.stream(kind)::removeSink);
            }
            Camera camera = start(config);
            cameras = cameras.stream().map(c -> c == old ? camera : c).toList();
            LOG.info("camera {} ({}) changed: {}", config.id(), config.name(), config);
            return camera;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Stops and forgets a camera, saved first: its live viewers' responses end and its recording stops; its recorded
     * files stay on disk. Blocks on file I/O, on the streams closing and on the recording's last write.
     *
     * @throws CameraRefused no camera has the id
     * @throws IOException   the list could not be saved; nothing changed
     */
    public void remove(String id) throws CameraRefused, IOException {
        changes.lock();
        try {
            checkOpen();
            Camera old = find(id).orElseThrow(() -> noSuchCamera(id));
            List<CameraConfig> next = configs().stream().filter(c -> !c.id().equals(id)).toList();
            List<String> nowRemoved = removed;
            if (configuredIds.contains(id) && !removed.contains(id)) {
                List<String> more = new ArrayList<>(removed);
                more.add(id);
                nowRemoved = List.copyOf(more);
            }
            file.save(new CameraFile.Contents(next, nowRemoved));
            cameras = cameras.stream().filter(c -> c != old).toList();
            removed = nowRemoved;
            old.close();
            awaitClosed(old);
            outlets.release(id);
            LOG.info("camera {} ({}) removed; its recordings stay on disk", id, old.name());
        } finally {
            changes.unlock();
        }
    }

    /**
     * Replaces every camera with {@code configs} (a restored backup), saved first: cameras not in it are removed
     * (their recordings stay), cameras in it with other settings restart with them, new ones start. Config-file
     * cameras not in it stay removed across restarts. Blocks on file I/O and on streams closing.
     *
     * @throws CameraRefused more than {@link #MAX_CAMERAS} cameras, a repeated id or a sample camera's id
     * @throws IOException   the list could not be saved; nothing changed
     */
    public List<Camera> replace(List<CameraConfig> configs) throws CameraRefused, IOException {
        changes.lock();
        try {
            checkOpen();
            if (configs.size() > MAX_CAMERAS) {
                throw new CameraRefused(CameraRefused.Reason.TOO_MANY_CAMERAS, "cameras: " + configs.size()
                        + ", more than the " + MAX_CAMERAS + " a recorder takes");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (CameraConfig config : configs) {
                if (!ids.add(config.id())) {
                    throw new CameraRefused(CameraRefused.Reason.ID_TAKEN, "camera " + config.id()
                            + " comes twice");
                }
                if (reservedIds.contains(config.id())) {
                    throw new CameraRefused(CameraRefused.Reason.ID_TAKEN, "the id " + config.id()
                            + " is taken by a sample camera");
                }
            }
            List<String> nowRemoved = configuredIds.stream().filter(id -> !ids.contains(id)).toList();
            file.save(new CameraFile.Contents(configs, nowRemoved));
            removed = nowRemoved;
            List<Camera> gone = cameras.stream().filter(c -> !ids.contains(c.id())).toList();
            for (Camera old : gone) {
                old.close();
                awaitClosed(old);
                outlets.release(old.id());
            }
            List<Camera> running = new ArrayList<>();
            for (CameraConfig config : configs) {
                Optional<Camera> old = find(config.id());
                if (old.isPresent() && old.get().config().equals(config)) {
                    running.add(old.get());
                    continue;
                }
                if (old.isPresent()) {
                    old.get().close();
                    awaitClosed(old.get());
                    for (StreamKind kind : StreamKind.values()) {
                        outlets.sinks(old.get().id(), kind).forEach(old.get().stream(kind)::removeSink);
                    }
                }
                running.add(start(config));
            }
            cameras = List.copyOf(running);
            LOG.info("cameras replaced by a restored backup: {} cameras, {} removed", running.size(), gone.size());
            return cameras;
        } finally {
            changes.unlock();
        }
    }

    /** Stops every camera; the outlets are the caller's to close. */
    @Override
    public void close() {
        changes.lock();
        try {
            closed = true;
            cameras.forEach(Camera::close);
        } finally {
            changes.unlock();
        }
    }

    private Camera start(CameraConfig config) {
        Camera camera = new Camera(config, group, timing);
        for (StreamKind kind : StreamKind.values()) {
            outlets.sinks(config.id(), kind).forEach(camera.stream(kind)::addSink);
        }
        camera.start();
        return camera;
    }

    private List<CameraConfig> configs() {
        return cameras.stream().map(Camera::config).toList();
    }

    private void check(List<CameraConfig> starting, CameraFile source) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (CameraConfig camera : starting) {
            if (!ids.add(camera.id())) {
                throw new IOException("two cameras have the id " + camera.id() + " in " + source.path()
                        + ": ids must be unique; fix or delete the file");
            }
            if (reservedIds.contains(camera.id())) {
                throw new IOException("camera id " + camera.id() + " is taken by a sample camera: choose another id,"
                        + " or fewer sample cameras");
            }
        }
        if (starting.size() > MAX_CAMERAS) {
            throw new IOException(starting.size() + " cameras are configured (config file and " + source.path()
                    + "); a recorder takes at most " + MAX_CAMERAS);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the recorder is stopping: its cameras cannot change any more");
        }
    }

    private static CameraRefused noSuchCamera(String id) {
        return new CameraRefused(CameraRefused.Reason.NO_SUCH_CAMERA, "no camera has the id " + id);
    }

    private static void awaitClosed(Camera camera) {
        try {
            camera.whenClosed().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // An event loop this busy is a bug elsewhere; carrying on at worst lets a sink hear both streams.
            LOG.warn("camera {}: its streams did not close within {} s", camera.id(), CLOSE_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
