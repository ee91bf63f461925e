package dev.outpost.recorder.live;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.VideoSink;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans one camera stream out to its live viewers, so any number of viewers share the one camera connection: it keeps
 * the stream's {@link GopCache}, starts each new viewer with the init segment and the cached GOP, and hands each
 * picture to every viewer's bounded queue.
 *
 * <p>Thread-safety: the camera calls the {@link VideoSink} methods on its event loop; viewers subscribe and leave from
 * any thread. One lock orders them, so a new viewer gets every picture exactly once (those before it joined through
 * the cache, those after through its queue). Work under the lock is a few queue operations per viewer and never
 * blocks; waking a viewer's connection is a task handed to that connection's event loop.
 *
 * <p>Interruption: viewers stay connected. Pictures queued before the break are still sent; the next keyframe after
 * it continues their timeline without a gap (see {@link LiveTimeline}). The cache is cleared, since its pictures lead
 * to a gap: a viewer who joins during the break gets the init segment and waits for the next keyframe.
 */
public final class LiveHub implements VideoSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    /** A picture's duration (90 kHz) until the stream shows its own: 15 fps, a common camera default. */
    static final long DEFAULT_FRAME_INTERVAL_90K = 6_000;

    /**
     * @param viewers         viewers now
     * @param skips           skips to the next keyframe, by all viewers ever
     * @param bytesSent       fMP4 bytes handed to viewers' connections, ever
     * @param picturesIn      pictures the camera gave
     * @param cachedPictures  pictures in the GOP cache now
     * @param cachedBytes     bytes in the GOP cache now
     */
    public record Stats(int viewers, long skips, long bytesSent, long picturesIn, int cachedPictures,
                        long cachedBytes) {
    }

    private final String name;
    private final LiveViewer.Limits viewerLimits;
    private final Object lock = new Object();

    // Guarded by lock.
    private final GopCache cache;
    /** Copy on write: a picture goes to a stable list even if a viewer leaves from inside the fan-out. */
    private final List<LiveViewer> viewers = new CopyOnWriteArrayList<>();
    private long frameInterval90k = DEFAULT_FRAME_INTERVAL_90K;
    private long lastPts = Long.MIN_VALUE;
    private long picturesIn;
    private long departedSkips;
    private long departedBytes;
    private boolean closed;

    /**
     * @param name         for logs, for example {@code cam-3/hd}
     * @param cacheLimits  the GOP cache's bounds
     * @param viewerLimits each viewer's default latency and queue bounds
     */
    public LiveHub(String name, GopCache.Limits cacheLimits, LiveViewer.Limits viewerLimits) {
        this.name = Objects.requireNonNull(name, "name");
        this.cache = new GopCache(cacheLimits);
        this.viewerLimits = Objects.requireNonNull(viewerLimits, "viewerLimits");
    }

    public LiveHub(String name) {
        this(name, GopCache.Limits.DEFAULT, LiveViewer.Limits.DEFAULT);
    }

    /** A new viewer with the hub's limits; see {@link #subscribe(LiveViewer.Limits)}. */
    public LiveViewer subscribe() {
        return subscribe(viewerLimits);
    }

    /**
     * A new viewer, queued with the init segment and the GOP cache, then every live picture. Attach it to a
     * connection ({@link LiveChannelWriter#attach}) or drain it with {@link LiveViewer#poll()}; close it when done. A
     * viewer of a closed hub is finished at once.
     */
    public LiveViewer subscribe(LiveViewer.Limits limits) {
        synchronized (lock) {
            LiveViewer viewer = new LiveViewer(this, limits, frameInterval90k);
            if (closed) {
                viewer.end();
                return viewer;
            }
            viewer.start(cache.snapshot());
            viewers.add(viewer);
            LOG.debug("{}: viewer joined, {} now", name, viewers.size());
            return viewer;
        }
    }

    /** The stream's format and its pictures since the latest keyframe, as a new viewer would start with them. */
    public GopCache.Snapshot latestGop() {
        synchronized (lock) {
            return cache.snapshot();
        }
    }

    @Override
    public void onFormat(StreamFormat format) {
        synchronized (lock) {
            if (closed || !cache.format(format)) {
                return;
            }
            LOG.debug("{}: format {} {}x{}", name, format.codec(), format.width(), format.height());
            lastPts = Long.MIN_VALUE;
            for (LiveViewer v : viewers) {
                v.offerFormat(format);
            }
        }
    }

    @Override
    public void onAccessUnit(AccessUnit unit) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            picturesIn++;
            if (cache.format().isEmpty()) {
                return; // a camera gives its format first; without it nothing could decode this
            }
            if (lastPts != Long.MIN_VALUE && LiveTimeline.follows(lastPts, unit.pts90k())) {
                frameInterval90k = unit.pts90k() - lastPts;
            }
            lastPts = unit.pts90k();
            cache.add(unit);
            for (LiveViewer v : viewers) {
                v.offer(unit);
            }
        }
    }

    @Override
    public void onInterruption(String reason) {
        synchronized (lock) {
            LOG.debug("{}: interrupted ({}), {} viewers wait for the next keyframe", name, reason, viewers.size());
            cache.clearPictures();
            lastPts = Long.MIN_VALUE;
            for (LiveViewer v : viewers) {
                v.interrupt();
            }
        }
    }

    /** Ends the stream for good (camera removed or recorder stopping): every viewer sends what it has and finishes. */
    @Override
    public void close() {
        List<LiveViewer> ending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ending = List.copyOf(viewers);
        }
        ending.forEach(LiveViewer::end);
    }

    public Stats stats() {
        synchronized (lock) {
            long skips = departedSkips;
            long bytes = departedBytes;
            for (LiveViewer v : viewers) {
                LiveViewer.Stats s = v.stats();
                skips += s.skips();
                bytes += s.bytesSent();
            }
            return new Stats(viewers.size(), skips, bytes, picturesIn, cache.pictureCount(), cache.byteCount());
        }
    }

    /** Each viewer's counters now, for metrics (queue high-water marks, skips). */
    public List<LiveViewer.Stats> viewerStats() {
        return viewers.stream().map(LiveViewer::stats).toList();
    }

    /** Called by {@link LiveViewer#close()}. */
    void remove(LiveViewer viewer) {
        synchronized (lock) {
            if (viewers.remove(viewer)) {
                LiveViewer.Stats s = viewer.stats();
                departedSkips += s.skips();
                departedBytes += s.bytesSent();
                LOG.debug("{}: viewer left after {} bytes and {} skips, {} now", name, s.bytesSent(), s.skips(),
                        viewers.size());
            }
        }
    }
}
