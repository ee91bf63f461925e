package dev.outpost.recorder.outbox;

import java.io.IOException;

/**
 * An item the outbox cannot take: it is larger than the outbox may hold, or the outbox is full of items worth more.
 */
public final class OutboxFullException extends IOException {
    public OutboxFullException(String message) {
        super(message);
    }
}
