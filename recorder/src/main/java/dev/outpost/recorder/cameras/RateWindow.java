package dev.outpost.recorder.cameras;

import java.util.ArrayDeque;

/**
 * Picture rate and bit rate of a stream over a sliding window of the last {@value #WINDOW_SECONDS}
 * seconds of access units. Written on the stream's event loop, read by {@code status()} on any thread,
 * so its few methods are synchronized (uncontended: a status read is rare).
 */
final class RateWindow {
    static final int WINDOW_SECONDS = 5;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;
    /** Bound on the samples held: 5 s at 200 pictures per second; past it the oldest go first. */
    private static final int MAX_SAMPLES = 1000;

    record Rates(double framesPerSecond, long bitsPerSecond) {
        static final Rates NONE = new Rates(0, 0);
    }

    private record Sample(long nanos, int bytes) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long bytes;

    synchronized void add(long nanos, int size) {
        evict(nanos);
        if (samples.size() == MAX_SAMPLES) {
            bytes -= samples.removeFirst().bytes();
        }
        samples.addLast(new Sample(nanos, size));
        bytes += size;
    }

    /**
     * Rates over the samples in the window ending now: the intervals between the first and the last
     * sample, so a stream that just started reads its true rate rather than a fraction of it.
     */
    synchronized Rates rates(long nowNanos) {
        evict(nowNanos);
        if (samples.size() < 2) {
            return Rates.NONE;
        }
        long span = samples.getLast().nanos() - samples.getFirst().nanos();
        if (span <= 0) {
            return Rates.NONE;
        }
        double seconds = span / 1e9;
        long counted = bytes - samples.getFirst().bytes(); // the first sample opens the span, it is not in it
        return new Rates((samples.size() - 1) / seconds, Math.round(counted * 8 / seconds));
    }

    synchronized void clear() {
        samples.clear();
        bytes = 0;
    }

    private void evict(long nowNanos) {
        while (!samples.isEmpty() && nowNanos - samples.getFirst().nanos() > WINDOW_NANOS) {
            bytes -= samples.removeFirst().bytes();
        }
    }
}
