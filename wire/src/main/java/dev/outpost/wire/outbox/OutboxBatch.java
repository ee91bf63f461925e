package dev.outpost.wire.outbox;

import java.util.List;
import java.util.Objects;

/** The recorder's answer to an {@link OutboxPoll}: the oldest items waiting, oldest first; empty after the wait. */
public record OutboxBatch(List<OutboxEnvelope> items) {
    public OutboxBatch {
        items = List.copyOf(Objects.requireNonNullElse(items, List.of()));
    }
}
