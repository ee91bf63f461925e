/**
 * Store and forward (docs/link.md, "Store and forward"): the {@link dev.outpost.recorder.outbox.Outbox} keeps every
 * alert, image, backup and clip part on disk until the cloud acknowledges it, and
 * {@link dev.outpost.recorder.outbox.DataUsage} counts what was sent per category per day.
 *
 * <p>Design notes. The cloud takes from the outbox (the link's HTTP/2 roles let only the cloud open streams), so
 * the outbox is a queue with a blocking poll and an acknowledgement, not a sender: it never needs to know whether
 * the link is up. Items are files, not records in one file, so adding, acknowledging and dropping an item each
 * touch one file, and a damaged file costs one item. Keys are random, not sequence numbers, so a recorder whose
 * data directory is restored from an old copy cannot reuse a key the cloud already stored for another item.
 */
package dev.outpost.recorder.outbox;
