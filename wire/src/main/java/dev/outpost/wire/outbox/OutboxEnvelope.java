package dev.outpost.wire.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One item waiting in a recorder's outbox, as the cloud sees it before fetching its payload.
 *
 * @param key          the idempotency key: the same item always carries the same key, however often it is sent,
 *                     and no other item of the recorder ever does
 * @param kind         what it is: {@link OutboxKind#label()}
 * @param createdAt    when the recorder made it
 * @param body         the item's JSON document (for an alert: a {@link HealthAlert})
 * @param payloadBytes length of the payload ({@code GET /api/outbox/items/{key}/payload}); 0 for none
 * @param payloadType  media type of the payload ({@code image/jpeg}), empty for none
 */
public record OutboxEnvelope(String key, String kind, Instant createdAt, String body, long payloadBytes,
                             String payloadType) {
    public OutboxEnvelope {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        body = Objects.requireNonNullElse(body, "{}");
        payloadType = Objects.requireNonNullElse(payloadType, "");
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payloadBytes must not be negative, not " + payloadBytes);
        }
    }
}
