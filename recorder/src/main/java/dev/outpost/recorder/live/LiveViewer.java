package dev.outpost.recorder.live;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.Fmp4Writer;
import dev.outpost.media.mp4.Fragment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One live viewer of a camera stream: a bounded queue that the {@link LiveHub} fills on the camera's event loop and
 * the viewer's connection drains, as fMP4 chunks, on its own thread.
 *
 * <p>The output is an init segment, then fragments ({@code prft} + {@code moof} + {@code mdat}) of one picture or of
 * the few pictures that queued up since the last chunk, never across a keyframe (a keyframe always opens a fragment).
 * The first fragment starts on a keyframe. A new format sends a new init segment and continues at the format's first
 * keyframe, which is how MSE takes a resolution change (append the new init segment to the same SourceBuffer).
 *
 * <p>Bounded latency and memory: the queue holds shared, immutable access units, at most {@link Limits} of them.
 * When a new picture would take the queue past a bound (the live pictures in it spanning more capture time than
 * {@link Limits#maxLatency()}, or more bytes or pictures than allowed), everything queued is dropped, the skip is
 * counted, and the viewer resumes at the next keyframe (the new picture itself, if it is one). What the connection has
 * already accepted is bounded by the connection (Netty's write-buffer high-water mark, see {@link LiveChannelWriter}).
 * The GOP cache burst a viewer starts with is exempt from the latency bound (its pictures are old by design; a player
 * seeks to the live edge of what it buffered) but not from the byte and picture bounds.
 *
 * <p>Thread-safety: the hub's calls and {@link #poll()} may come from different threads; one thread drains at a time.
 */
public final class LiveViewer implements AutoCloseable {
    /** Most pictures in one fragment, so a burst still reaches the player in pieces it can start on. */
    static final int MAX_BATCH_PICTURES = 30;
    /** Most bytes in one fragment (a lone picture may be larger). */
    static final long MAX_BATCH_BYTES = 512 * 1024;

    /**
     * How far a viewer may fall behind before it skips to the next keyframe.
     *
     * @param maxLatency        capture-time span of the live pictures waiting for this viewer; 2 s by default
     * @param maxQueuedBytes    bytes of pictures waiting; at least 64 KiB (a keyframe larger than this still passes
     *                          when it is alone)
     * @param maxQueuedPictures pictures waiting; at least 2
     */
    public record Limits(Duration maxLatency, long maxQueuedBytes, int maxQueuedPictures) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(2), 4L << 20, 240);

        public Limits {
            if (maxLatency.isNegative() || maxLatency.isZero()) {
                throw new IllegalArgumentException("live maxLatency " + maxLatency + " is not positive");
            }
            if (maxQueuedBytes < 64 * 1024) {
                throw new IllegalArgumentException("live maxQueuedBytes " + maxQueuedBytes + " is under 64 KiB");
            }
            if (maxQueuedPictures < 2) {
                throw new IllegalArgumentException("live maxQueuedPictures " + maxQueuedPictures + " is under 2");
            }
        }

        public Limits withMaxLatency(Duration latency) {
            return new Limits(latency, maxQueuedBytes, maxQueuedPictures);
        }
    }

    /**
     * @param skips                 times the viewer fell too far behind and skipped to the next keyframe
     * @param droppedPictures       pictures it never got: dropped by skips and while waiting for a keyframe
     * @param bytesSent             bytes of fMP4 handed to its connection
     * @param fragmentsSent         fragments handed to its connection
     * @param queuedPictures        pictures waiting now
     * @param queuedBytes           bytes of pictures waiting now
     * @param highWaterPictures     most pictures ever waiting
     * @param highWaterBytes        most bytes ever waiting
     */
    public record Stats(long skips, long droppedPictures, long bytesSent, long fragmentsSent, int queuedPictures,
                        long queuedBytes, int highWaterPictures, long highWaterBytes) {
    }

    private sealed interface Entry permits Picture, FormatChange {
    }

    /** @param newRun whether it opens a run (rebased, see {@link LiveTimeline}); @param burst from the GOP cache */
    private record Picture(AccessUnit unit, boolean newRun, boolean burst) implements Entry {
    }

    private record FormatChange(StreamFormat format) implements Entry {
    }

    private final LiveHub hub;
    private final Limits limits;
    private final long maxLatencyMicros;
    private final Object lock = new Object();

    // Guarded by lock.
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int queuedPictures;
    private long queuedBytes;
    private int highWaterPictures;
    private long highWaterBytes;
    private long skips;
    private long droppedPictures;
    private long bytesSent;
    private long fragmentsSent;
    /** Pictures are dropped until a keyframe, which then opens a new run. */
    private boolean awaitingKeyframe = true;
    private boolean ended;
    private boolean closed;
    private boolean wakeupPending;
    private Runnable listener = () -> { };

    // Used only by the draining thread.
    private final LiveTimeline timeline;

    LiveViewer(LiveHub hub, Limits limits, long durationHint90k) {
        this.hub = hub;
        this.limits = limits;
        this.maxLatencyMicros = limits.maxLatency().toNanos() / 1000;
        this.timeline = new LiveTimeline(durationHint90k);
    }

    /**
     * Asks to be told (on the hub's thread, or on this one if something is queued already) when {@link #poll()} has
     * something again or the stream ended; called once per wait, so the listener must not block, and typically
     * schedules a drain on the connection's thread.
     */
    public void whenReady(Runnable readyListener) {
        boolean now;
        synchronized (lock) {
            listener = readyListener;
            now = !queue.isEmpty() || ended;
            wakeupPending = now;
        }
        if (now) {
            readyListener.run();
        }
    }

    /**
     * The next chunk of fMP4 to send: an init segment or a fragment; empty when nothing is waiting (the listener of
     * {@link #whenReady} is called when something is).
     */
    public Optional<byte[]> poll() {
        List<AccessUnit> batch = new ArrayList<>();
        boolean newRun;
        OptionalLong nextPts = OptionalLong.empty();
        synchronized (lock) {
            Entry head = queue.poll();
            if (head == null) {
                wakeupPending = false;
                return Optional.empty();
            }
            if (head instanceof FormatChange(StreamFormat format)) {
                byte[] init = Fmp4Writer.initSegment(format, Fragment.TIMESCALE_90K);
                bytesSent += init.length;
                return Optional.of(init);
            }
            Picture first = (Picture) head;
            newRun = first.newRun();
            take(first, batch);
            long bytes = first.unit().size();
            // The keyframe a run starts on (a new viewer's, or after a skip) goes alone: the player can show it
            // before the rest of the cached GOP arrives, which on a slow path is most of a second.
            boolean alone = newRun && first.unit().keyframe();
            while (!alone && queue.peek() instanceof Picture next && !next.newRun() && !next.unit().keyframe()
                    && LiveTimeline.follows(batch.getLast().pts90k(), next.unit().pts90k())) {
                if (batch.size() >= MAX_BATCH_PICTURES || bytes + next.unit().size() > MAX_BATCH_BYTES) {
                    break;
                }
                queue.poll();
                take(next, batch);
                bytes += next.unit().size();
            }
            if (queue.peek() instanceof Picture next && !next.newRun()) {
                nextPts = OptionalLong.of(next.unit().pts90k());
            }
        }
        byte[] fragment = timeline.fragment(batch, newRun, nextPts);
        synchronized (lock) {
            bytesSent += fragment.length;
            fragmentsSent++;
        }
        return Optional.of(fragment);
    }

    /** Whether the stream ended (the hub closed) and everything queued was polled: the response can end. */
    public boolean isFinished() {
        synchronized (lock) {
            return (ended || closed) && queue.isEmpty();
        }
    }

    /** Stops this viewer: leaves the hub and drops what is queued. Idempotent; any thread. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dropQueue();
        }
        hub.remove(this);
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(skips, droppedPictures, bytesSent, fragmentsSent, queuedPictures, queuedBytes,
                    highWaterPictures, highWaterBytes);
        }
    }

    public Limits limits() {
        return limits;
    }

    // The hub's side, called under the hub's lock, in stream order.

    /** Queues the init segment and as much of the GOP cache as the bounds allow, from its keyframe on. */
    void start(GopCache.Snapshot snapshot) {
        Runnable wake;
        synchronized (lock) {
            if (snapshot.format().isEmpty()) {
                return; // the format will come first, then a keyframe
            }
            queue.add(new FormatChange(snapshot.format().get()));
            List<AccessUnit> pictures = snapshot.pictures();
            int fit = 0;
            long bytes = 0;
            for (AccessUnit p : pictures) {
                if (fit > 0 && (fit + 1 > limits.maxQueuedPictures() || bytes + p.size() > limits.maxQueuedBytes())) {
                    break;
                }
                queue.add(new Picture(p, fit == 0, true));
                fit++;
                bytes += p.size();
            }
            queuedPictures = fit;
            queuedBytes = bytes;
            highWaterPictures = fit;
            highWaterBytes = bytes;
            // Live pictures continue the burst only if it reaches the latest picture without a gap.
            awaitingKeyframe = fit == 0 || fit < pictures.size() || !snapshot.complete();
            wake = wakeup();
        }
        wake.run();
    }

    void offerFormat(StreamFormat format) {
        Runnable wake;
        synchronized (lock) {
            if (closed || ended) {
                return;
            }
            queue.add(new FormatChange(format));
            awaitingKeyframe = true;
            wake = wakeup();
        }
        wake.run();
    }

    void offer(AccessUnit unit) {
        Runnable wake;
        synchronized (lock) {
            if (closed || ended) {
                return;
            }
            boolean newRun = false;
            if (awaitingKeyframe) {
                if (!unit.keyframe()) {
                    droppedPictures++;
                    return;
                }
                awaitingKeyframe = false;
                newRun = true;
            }
            if (queuedPictures > 0 && overBound(unit)) {
                // Full: dropping the queue is the only way back to bounded latency without corrupting the picture.
                skips++;
                dropQueue();
                if (!unit.keyframe()) {
                    droppedPictures++;
                    awaitingKeyframe = true;
                    return;
                }
                newRun = true;
            }
            queue.add(new Picture(unit, newRun, false));
            queuedPictures++;
            queuedBytes += unit.size();
            highWaterPictures = Math.max(highWaterPictures, queuedPictures);
            highWaterBytes = Math.max(highWaterBytes, queuedBytes);
            wake = wakeup();
        }
        wake.run();
    }

    /** The stream broke off; what follows comes after a gap, so continue at its next keyframe. */
    void interrupt() {
        synchronized (lock) {
            awaitingKeyframe = true;
        }
    }

    /** The stream is over for good (camera removed): the viewer drains what it has and finishes. */
    void end() {
        Runnable wake;
        synchronized (lock) {
            ended = true;
            wake = wakeup();
        }
        wake.run();
    }

    private boolean overBound(AccessUnit unit) {
        if (queuedPictures + 1 > limits.maxQueuedPictures() || queuedBytes + unit.size() > limits.maxQueuedBytes()) {
            return true;
        }
        for (Entry e : queue) {
            if (e instanceof Picture p && !p.burst()) {
                return unit.captureMicros() - p.unit().captureMicros() > maxLatencyMicros;
            }
        }
        return false;
    }

    /** Drops queued pictures; keeps the latest format change still unsent, which what follows needs. */
    private void dropQueue() {
        FormatChange format = null;
        for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e instanceof FormatChange f) {
                format = f;
            } else {
                droppedPictures++;
            }
        }
        queue.clear();
        if (format != null && !closed) {
            queue.add(format);
        }
        queuedPictures = 0;
        queuedBytes = 0;
    }

    private void take(Picture p, List<AccessUnit> batch) {
        batch.add(p.unit());
        queuedPictures--;
        queuedBytes -= p.unit().size();
    }

    /** The listener to call after the lock is released, once per wait. */
    private Runnable wakeup() {
        if (wakeupPending) {
            return () -> { };
        }
        wakeupPending = true;
        return listener;
    }
}
