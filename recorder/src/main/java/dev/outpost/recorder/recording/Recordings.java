package dev.outpost.recorder.recording;

import dev.outpost.recorder.cameras.StreamKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every camera stream recorded under one root, with the root's {@link Retention}: what the recorder wires its
 * cameras to ({@link #sink} per camera stream, added to the stream's sinks) and what the status and playback API
 * read ({@link #statuses}, {@link #index}). Thread-safe.
 */
public final class Recordings implements AutoCloseable {
    /** How often retention runs besides when a disk fills up. */
    static final Duration RETENTION_PERIOD = Duration.ofMinutes(1);

    /** A camera stream, as {@code cameraId/hd} or {@code cameraId/sd}. */
    public record StreamKey(String cameraId, StreamKind kind) implements Comparable<StreamKey> {
        @Override
        public int compareTo(StreamKey o) {
            int c = cameraId.compareTo(o.cameraId);
            return c != 0 ? c : kind.compareTo(o.kind);
        }

        @Override
        public String toString() {
            return cameraId + "/" + kind.label();
        }
    }

    private final Path root;
    private final RecordingSink.Settings settings;
    private final Retention retention;
    private final Clock clock;
    private final Map<StreamKey, RecordingSink> sinks = new ConcurrentHashMap<>();

    private Recordings(Path root, RecordingSink.Settings settings, Retention retention, Clock clock) {
        this.root = root;
        this.settings = settings;
        this.retention = retention;
        this.clock = clock;
    }

    /** Records under {@code root} within {@code limits}; retention runs every minute. */
    public static Recordings open(Path root, RecordingSink.Settings settings, Retention.Limits limits, Clock clock) {
        Recordings recordings = new Recordings(root, settings, new Retention(limits, clock), clock);
        recordings.retention.start(RETENTION_PERIOD);
        return recordings;
    }

    /** The sink of one camera stream, started (its index rebuilt from disk) on first use. */
    public RecordingSink sink(String cameraId, StreamKind kind) {
        return sinks.computeIfAbsent(new StreamKey(cameraId, kind),
                key -> RecordingSink.start(cameraId, kind, root, settings, retention, clock));
    }

    public Optional<RecordingIndex> index(String cameraId, StreamKind kind) {
        return Optional.ofNullable(sinks.get(new StreamKey(cameraId, kind))).map(RecordingSink::index);
    }

    /** Each recorded stream's status, ordered by camera and stream. */
    public Map<StreamKey, RecordingStatus> statuses() {
        Map<StreamKey, RecordingStatus> out = new TreeMap<>();
        sinks.forEach((key, sink) -> out.put(key, sink.status()));
        return out;
    }

    /**
     * Stops recording a camera stream (camera removed). Its files stay on disk, and retention no longer counts or
     * deletes them until the stream is recorded again.
     */
    public void remove(String cameraId, StreamKind kind) {
        Optional.ofNullable(sinks.remove(new StreamKey(cameraId, kind))).ifPresent(RecordingSink::close);
    }

    public Retention retention() {
        return retention;
    }

    @Override
    public void close() {
        retention.close();
        sinks.values().forEach(RecordingSink::close);
        sinks.clear();
    }
}
