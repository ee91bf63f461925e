package dev.outpost.recorder.recording;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a camera stream hands its recording writer, bounded by the bytes of the pictures in it. A picture that does
 * not fit is dropped, and so is every picture after it until a keyframe that fits (a decoder cannot resume before
 * one); the writer is told with one {@link Stop} in the queue. Offering never blocks: the lock is held for a few
 * instructions. Control events (format, stop) are tiny and one per camera event, so they bypass the bound.
 */
final class WriteQueue {
    sealed interface Event {
        default long bytes() {
            return 0;
        }
    }

    record Format(StreamFormat format) implements Event {
    }

    record Picture(AccessUnit unit) implements Event {
        @Override
        public long bytes() {
            return unit.size();
        }
    }

    /**
     * The recording stops here; pictures after it start a new segment at a keyframe.
     *
     * @param cause  why, for the gap in the timeline
     * @param camera whether the camera stopped (rather than the recorder)
     * @param close  whether the writer ends after it
     */
    record Stop(String cause, boolean camera, boolean close) implements Event {
    }

    enum Offer {
        QUEUED,
        /** Dropped, and the first dropped since pictures were last queued. */
        STARTED_DROPPING,
        DROPPED,
        CLOSED
    }

    /** An event and whether the queue was empty after it, with no drop going on: the writer has caught up. */
    record Taken(Event event, boolean caughtUp) {
    }

    static final String FALLING_BEHIND = "recorder falling behind: the disk did not keep up, pictures dropped to the"
            + " next keyframe";

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private long bytes;
    private boolean dropping;
    private boolean closed;

    WriteQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    Offer offer(AccessUnit unit) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            boolean fits = bytes + unit.size() <= maxBytes;
            if (dropping && !(unit.keyframe() && fits)) {
                dropped.incrementAndGet();
                return Offer.DROPPED;
            }
            if (!fits) {
                dropping = true;
                dropped.incrementAndGet();
                add(new Stop(FALLING_BEHIND, false, false));
                return Offer.STARTED_DROPPING;
            }
            dropping = false;
            bytes += unit.size();
            add(new Picture(unit));
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a control event; after {@link Stop#close()} nothing more is taken. */
    void offerControl(Event event) {
        lock.lock();
        try {
            if (!closed) {
                add(event);
                closed = event instanceof Stop stop && stop.close();
            }
        } finally {
            lock.unlock();
        }
    }

    Taken take() throws InterruptedException {
        lock.lock();
        try {
            while (events.isEmpty()) {
                notEmpty.await();
            }
            Event e = events.poll();
            bytes -= e.bytes();
            return new Taken(e, events.isEmpty() && !dropping);
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void add(Event event) {
        events.add(event);
        notEmpty.signal();
    }
}
