package dev.outpost.recorder.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one recording root within its limits: total bytes across every camera stream recorded there, and age. It
 * deletes the oldest segments first (by start time, across streams) and takes them out of their index; a segment
 * being written is never deleted. Runs periodically ({@link #start}) and when a writer finds the disk full or nearly
 * full ({@link #onDiskFull}). Thread-safe: one run at a time.
 */
public final class Retention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    /** On a full disk, free at least this share of what is recorded even if the byte limit is not reached. */
    static final double DISK_FULL_SHARE = 0.05;

    /**
     * @param maxBytes total bytes of segments kept under the root
     * @param maxAge   segments that ended longer ago are deleted
     */
    public record Limits(long maxBytes, Duration maxAge) {
        public Limits {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("recording maxBytes " + maxBytes + " is not positive");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("recording maxAge " + maxAge + " is not positive");
            }
        }
    }

    /** What one run deleted. */
    public record Deleted(int segments, long bytes) {
    }

    private final Limits limits;
    private final Clock clock;
    private final List<RecordingIndex> indexes = new CopyOnWriteArrayList<>();
    private Optional<ScheduledExecutorService> timer = Optional.empty();

    public Retention(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public void register(RecordingIndex index) {
        indexes.add(index);
    }

    public void unregister(RecordingIndex index) {
        indexes.remove(index);
    }

    public long totalBytes() {
        return indexes.stream().mapToLong(RecordingIndex::bytes).sum();
    }

    /** Runs every {@code period} on a virtual thread until {@link #close}. */
    public synchronized void start(Duration period) {
        if (timer.isEmpty()) {
            ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual()
                    .name("recording-retention").factory());
            t.scheduleWithFixedDelay(this::runQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
            timer = Optional.of(t);
        }
    }

    /** Deletes past the age and byte limits. */
    public Deleted run() {
        return run(limits.maxBytes());
    }

    /** A write found the disk full or nearly: free at least {@value #DISK_FULL_SHARE} of what is recorded. */
    public Deleted onDiskFull() {
        long total = totalBytes();
        Deleted d = run(Math.min(limits.maxBytes(), (long) (total * (1 - DISK_FULL_SHARE))));
        if (d.segments() > 0) {
            log.warn("recording: disk full or nearly; deleted the oldest {} segments ({} bytes)", d.segments(),
                    d.bytes());
        } else {
            log.debug("recording: disk full or nearly, and no closed segment left to delete");
        }
        return d;
    }

    private synchronized Deleted run(long maxBytes) {
        Instant oldestKept = clock.instant().minus(limits.maxAge());
        int segments = 0;
        long bytes = 0;
        long total = totalBytes();
        while (true) {
            Optional<Candidate> oldest = oldest();
            if (oldest.isEmpty()) {
                break;
            }
            Segment s = oldest.get().segment();
            if (total <= maxBytes && !s.end().isBefore(oldestKept)) {
                break;
            }
            delete(oldest.get());
            segments++;
            bytes += s.bytes();
            total -= s.bytes();
        }
        return new Deleted(segments, bytes);
    }

    private record Candidate(RecordingIndex index, Segment segment) {
    }

    /** The oldest segment that is not being written, across streams. */
    private Optional<Candidate> oldest() {
        Candidate best = null;
        for (RecordingIndex index : indexes) {
            Optional<Segment> s = index.oldest().filter(seg -> !index.isOpen(seg));
            if (s.isPresent() && (best == null || s.get().start().isBefore(best.segment().start()))) {
                best = new Candidate(index, s.get());
            }
        }
        return Optional.ofNullable(best);
    }

    private static void delete(Candidate c) {
        Path file = c.segment().file();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("recording {}: cannot delete {}: {}; left out of the index", c.index(), file, e.toString());
        }
        c.index().remove(c.segment());
        try {
            ClosedSegments.removeDayIfEmpty(file.getParent());
        } catch (IOException e) {
            log.debug("recording {}: cannot remove {}: {}", c.index(), file.getParent(), e.toString());
        }
    }

    private void runQuietly() {
        try {
            Deleted d = run();
            if (d.segments() > 0) {
                log.info("recording retention: deleted {} segments ({} bytes)", d.segments(), d.bytes());
            }
        } catch (RuntimeException e) {
            log.warn("recording retention failed", e);
        }
    }

    @Override
    public synchronized void close() {
        timer.ifPresent(ScheduledExecutorService::shutdownNow);
        timer = Optional.empty();
    }
}
