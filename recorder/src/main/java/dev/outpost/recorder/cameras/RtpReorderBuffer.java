package dev.outpost.recorder.cameras;

import dev.outpost.media.rtp.RtpPacket;
import java.util.function.Consumer;

/**
 * Puts RTP packets that arrive over UDP back in sequence order (RFC 3550 section 5.1: the sequence number
 * lets a receiver "restore packet sequence") before they reach the depacketizer, which takes any step back
 * as a late packet and any step forward as loss: one swapped pair would otherwise cost the picture, and
 * often everything up to the next keyframe.
 *
 * <p>In-order packets pass straight through. A packet ahead of the next expected one waits, at most
 * {@value #CAPACITY} of them (bounded memory) and, by the caller's clock, for at most the hold time it
 * gives {@link #expire}; then the missing ones count as lost and what waited goes on in order, with the gap
 * for the depacketizer to handle. A packet further ahead than the capacity (the sender jumped) flushes
 * everything waiting. Packets behind the expected one go on as they are, for the depacketizer to count as
 * late. Not thread-safe: one per stream session, on its event loop.
 */
final class RtpReorderBuffer {
    /** The most packets held back: a few frames of an SD stream, a fraction of an HD keyframe. */
    static final int CAPACITY = 64;
    /** RFC 3550 appendix A.1's MAX_MISORDER: further behind than this is a restarted sender, not a late packet. */
    private static final int MAX_MISORDER = 100;

    private final Consumer<RtpPacket> out;
    private final RtpPacket[] slots = new RtpPacket[CAPACITY];
    private boolean started;
    private int expected;
    private int held;
    private long heldSinceNanos;
    // Written on the event loop, rarely; read by status() on any thread.
    private volatile long reordered;
    private volatile long duplicates;

    RtpReorderBuffer(Consumer<RtpPacket> out) {
        this.out = out;
    }

    /** Takes a packet; what is in order now goes to the consumer at once. */
    void push(RtpPacket packet, long nowNanos) {
        int sequence = packet.sequence();
        if (!started) {
            started = true;
            expected = sequence;
        }
        int ahead = (sequence - expected) & 0xFFFF;
        if (ahead == 0) {
            if (held > 0) {
                reordered++; // the packet the others waited for
            }
            emit(packet);
            drain();
            if (held > 0) {
                heldSinceNanos = nowNanos; // what still waits sits behind another gap
            }
        } else if (ahead < CAPACITY) {
            int slot = sequence % CAPACITY;
            if (slots[slot] != null) {
                duplicates++;
                return;
            }
            if (held == 0) {
                heldSinceNanos = nowNanos;
            }
            slots[slot] = packet;
            held++;
        } else if (ahead >= 0x10000 - MAX_MISORDER) {
            out.accept(packet); // late or duplicated: the depacketizer counts and drops it
        } else {
            flush();
            expected = sequence;
            emit(packet);
        }
    }

    /** Gives up waiting once packets have been held for {@code maxHoldNanos}: the missing ones are lost. */
    void expire(long nowNanos, long maxHoldNanos) {
        while (held > 0 && nowNanos - heldSinceNanos >= maxHoldNanos) {
            skipToNextHeld();
            drain();
            heldSinceNanos = nowNanos; // what still waits sits behind a newer gap
        }
    }

    /** Whether packets wait for one that is missing. */
    boolean holding() {
        return held > 0;
    }

    /** Packets that arrived out of order and were put back in place. */
    long reordered() {
        return reordered;
    }

    long duplicates() {
        return duplicates;
    }

    /** Emits everything held, in order, skipping the gaps. */
    void flush() {
        while (held > 0) {
            skipToNextHeld();
            drain();
        }
    }

    private void skipToNextHeld() {
        while (slots[expected % CAPACITY] == null) {
            expected = (expected + 1) & 0xFFFF;
        }
    }

    private void drain() {
        RtpPacket next;
        while (held > 0 && (next = slots[expected % CAPACITY]) != null) {
            slots[expected % CAPACITY] = null;
            held--;
            emit(next);
        }
    }

    private void emit(RtpPacket packet) {
        expected = (packet.sequence() + 1) & 0xFFFF;
        out.accept(packet);
    }
}
