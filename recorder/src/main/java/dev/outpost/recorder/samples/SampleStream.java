package dev.outpost.recorder.samples;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.SinkFanout;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import dev.outpost.recorder.cameras.VideoSource;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of a sample camera: its clip, loaded (made on first use) on a blocking thread, then played to its
 * {@link VideoSink}s in a loop, forever, at the clip's rate, on one event loop (a fixed-rate timer; nothing
 * blocks). Presentation times keep growing across loops (each loop adds the clip's length) and capture times
 * are the wall clock when a picture goes out, as from a live camera.
 */
public final class SampleStream implements VideoSource {
    private static final Logger log = LoggerFactory.getLogger(SampleStream.class);

    /** Loads a clip; blocking. */
    @FunctionalInterface
    public interface Loader {
        SampleVideo load() throws Exception;
    }

    private final String cameraId;
    private final StreamKind kind;
    private final Loader loader;
    private final EventLoop loop;
    private final Executor blocking;
    private final Clock clock;
    private final SinkFanout sinks;

    private final AtomicBoolean started = new AtomicBoolean();

    // Event loop only.
    private SampleVideo video;
    private ScheduledFuture<?> ticker;
    private long sent;

    // Written on the event loop, read by status() on any thread.
    private volatile boolean closed;
    private volatile CameraStatus.State state = CameraStatus.State.CONNECTING;
    private volatile Instant since;
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Optional<SampleVideo> playing = Optional.empty();
    private volatile long delivered;

    /**
     * @param loader   gives the clip; called once, on {@code blocking}
     * @param loop     where sinks are called and the timer runs
     * @param blocking where the clip is loaded (and made, the first time)
     */
    public SampleStream(String cameraId, StreamKind kind, Loader loader, EventLoop loop, Executor blocking, Clock clock) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.since = clock.instant();
        this.sinks = new SinkFanout("sample camera " + cameraId + " (" + kind.label() + ")");
    }

    @Override
    public String cameraId() {
        return cameraId;
    }

    @Override
    public StreamKind kind() {
        return kind;
    }

    /** Loads the clip off the event loop, then starts playing it. */
    @Override
    public void start() {
        if (closed || !started.compareAndSet(false, true)) {
            return;
        }
        blocking.execute(() -> { // in call order: callers choose which clips are made first
            try {
                SampleVideo loaded = loader.load();
                loop.execute(() -> play(loaded));
            } catch (Exception | LinkageError e) { // LinkageError: FFmpeg's native libraries failed to load
                String message = "sample clip unavailable: " + e;
                log.warn("sample camera {} ({}): {}", cameraId, kind.label(), message, e);
                loop.execute(() -> {
                    lastError = Optional.of(message);
                    setState(closed ? CameraStatus.State.CLOSED : CameraStatus.State.FAILED);
                });
            }
        });
    }

    @Override
    public void addSink(VideoSink sink) {
        Objects.requireNonNull(sink, "sink");
        loop.execute(() -> sinks.add(sink));
    }

    @Override
    public void removeSink(VideoSink sink) {
        sinks.remove(sink);
    }

    @Override
    public CameraStatus status() {
        Optional<SampleVideo> clip = playing;
        boolean streaming = state == CameraStatus.State.STREAMING;
        return new CameraStatus(state, since, lastError, lastError.isPresent() && !streaming ? 1 : 0, Optional.empty(),
                clip.map(v -> new CameraStatus.Resolution(v.format().width(), v.format().height())),
                streaming ? clip.map(v -> (double) v.spec().fps()).orElse(0.0) : 0.0,
                streaming ? clip.map(SampleVideo::bitsPerSecond).orElse(0L) : 0L,
                0, 0, 0, 0, 0, delivered, 0, Optional.empty());
    }

    /** Stops the loop; the sinks hear of it if it was playing. */
    @Override
    public void close() {
        closed = true;
        if (loop.isShuttingDown()) {
            state = CameraStatus.State.CLOSED;
            return;
        }
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
                sinks.onInterruption("sample camera closed");
            }
            setState(CameraStatus.State.CLOSED);
        });
    }

    private void play(SampleVideo loaded) {
        if (closed) {
            return;
        }
        video = loaded;
        playing = Optional.of(loaded);
        sinks.onFormat(loaded.format());
        setState(CameraStatus.State.STREAMING);
        log.info("sample camera {} ({}): playing {}x{} at {} fps, {} kb/s, a {} s loop", cameraId, kind.label(),
                loaded.format().width(), loaded.format().height(), loaded.spec().fps(), loaded.bitsPerSecond() / 1000,
                loaded.spec().seconds());
        long period = 1_000_000_000L / loaded.spec().fps();
        ticker = loop.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
    }

    /** The next picture: the clip's picture at this position, its time moved on by every loop before. */
    private void tick() {
        List<AccessUnit> pictures = video.pictures();
        int index = (int) (sent % pictures.size());
        long loops = sent / pictures.size();
        AccessUnit picture = pictures.get(index);
        Instant now = clock.instant();
        long captureMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        AccessUnit out = new AccessUnit(loops * video.durationPts() + picture.pts90k(), captureMicros,
                picture.keyframe(), picture.avcc());
        sent++;
        delivered = sent;
        sinks.onAccessUnit(out);
    }

    private void setState(CameraStatus.State next) {
        if (state != next) {
            state = next;
            since = clock.instant();
        }
    }

    @Override
    public String toString() {
        return "SampleStream[" + cameraId + ", " + kind.label() + ", " + state + "]";
    }
}
