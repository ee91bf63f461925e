/**
 * What a recorder's outbox and the cloud say to each other over the link (docs/link.md, "Store and forward"): the
 * cloud asks for what waits ({@link dev.outpost.wire.outbox.OutboxPoll}), saying what it has stored since its last
 * ask, and the recorder answers with a batch of envelopes ({@link dev.outpost.wire.outbox.OutboxBatch}); payloads
 * (images, backups, clip parts) are fetched one by one.
 */
package dev.outpost.wire.outbox;
