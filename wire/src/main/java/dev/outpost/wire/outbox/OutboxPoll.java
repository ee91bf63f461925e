package dev.outpost.wire.outbox;

import java.util.List;
import java.util.Objects;

/**
 * The cloud's ask of a recorder's outbox ({@code POST /api/outbox/poll}).
 *
 * @param ack         keys of items the cloud has stored durably since its last ask: the recorder may forget them
 *                    (at most {@link #MAX_ITEMS})
 * @param max         the most items to answer with, 1 to {@link #MAX_ITEMS}
 * @param waitSeconds how long the recorder may hold the ask while its outbox is empty, 0 to {@link #MAX_WAIT_SECONDS}
 */
public record OutboxPoll(List<String> ack, int max, int waitSeconds) {
    public static final int MAX_ITEMS = 100;
    public static final int MAX_WAIT_SECONDS = 600;

    public OutboxPoll {
        ack = List.copyOf(Objects.requireNonNullElse(ack, List.of()));
    }

    /** Why this ask is out of bounds, or empty when it is fine. */
    public java.util.Optional<String> problem() {
        if (ack.size() > MAX_ITEMS) {
            return java.util.Optional.of("ack: at most " + MAX_ITEMS + " keys, not " + ack.size());
        }
        if (max < 1 || max > MAX_ITEMS) {
            return java.util.Optional.of("max: 1 to " + MAX_ITEMS + ", not " + max);
        }
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            return java.util.Optional.of("waitSeconds: 0 to " + MAX_WAIT_SECONDS + ", not " + waitSeconds);
        }
        return java.util.Optional.empty();
    }
}
