package dev.outpost.recorder.outbox;

import dev.outpost.wire.outbox.OutboxEnvelope;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's store-and-forward queue (DESIGN.md, "Storage"): every alert, image, backup and clip part
 * waits here, one file each under {@code DATA/outbox}, until the cloud says it stored it. Each item has
 * an idempotency key made when it is added and kept in its file, so the same item sent twice (the link
 * dropped before the cloud's acknowledgement arrived; either side restarted) is the same item to the
 * cloud, which keeps one.
 *
 * <p>Bounded by items and bytes. When an item would not fit, older items give way in this order: day/night
 * images (oldest first), then the images of alerts (the alert stays, without its image), then config
 * backups and clip parts, and last the alerts themselves (oldest first). An item larger than the whole
 * bound is refused.
 *
 * <p>Blocking (file I/O with fsync): call it from virtual threads, never from an event loop.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /**
     * @param maxItems items kept at most
     * @param maxBytes bytes of item files kept at most
     */
    public record Limits(int maxItems, long maxBytes) {
        /** 1 GiB: a 20-minute clip (about 300 MB at 2MP, 525 MB at 4MP) fits beside the rest. */
        public static final Limits DEFAULTS = new Limits(10_000, 1024L * 1024 * 1024);

        public Limits {
            if (maxItems < 1 || maxBytes < 1024) {
                throw new IllegalArgumentException("outbox limits must be at least 1 item and 1 KiB, not "
                        + maxItems + " items, " + maxBytes + " bytes");
            }
        }
    }

    /** One item as the outbox holds it: its header in memory, its payload on disk. */
    record Entry(OutboxFiles.Header header, Path file, long fileBytes, long payloadOffset, long payloadBytes) {
        OutboxEnvelope envelope() {
            return new OutboxEnvelope(header.key(), header.kind(), header.createdAt(), header.body(), payloadBytes,
                    header.payloadType());
        }
    }

    private final Path dir;
    private final Limits limits;
    private final Clock clock;
    private final DataUsage usage;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final java.util.HashMap<String, Long> seqByKey = new java.util.HashMap<>();
    private long bytes;
    private long nextSeq = 1;
    private long dropped;
    private boolean closed;

    private Outbox(Path dir, Limits limits, Clock clock, DataUsage usage) {
        this.dir = dir;
        this.limits = limits;
        this.clock = clock;
        this.usage = usage;
    }

    /**
     * Opens the outbox in {@code dir}, creating it, with what a previous run left there. A file that cannot be
     * read (a disk error) is renamed {@code .corrupt} and logged, so one bad item does not stop the others.
     */
    public static Outbox open(Path dir, Limits limits, Clock clock, DataUsage usage) throws IOException {
        Files.createDirectories(dir);
        Outbox outbox = new Outbox(dir, limits, clock, usage);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write a crash cut short: the item was never added
                    continue;
                }
                if (!name.endsWith(OutboxFiles.SUFFIX)) {
                    continue;
                }
                try {
                    OutboxFiles.Read read = OutboxFiles.readHeader(file);
                    outbox.index(new Entry(read.header(), file, Files.size(file), read.payloadOffset(), read.payloadBytes()));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("outbox item {} is unreadable and set aside as .corrupt: {}", file, e.getMessage());
                    Files.move(file, file.resolveSibling(name + ".corrupt"));
                }
            }
        }
        if (!outbox.entries.isEmpty()) {
            LOG.info("outbox in {}: {} items ({} bytes) waiting for the cloud", dir, outbox.entries.size(), outbox.bytes);
        }
        return outbox;
    }

    private void index(Entry entry) {
        entries.put(entry.header().seq(), entry);
        seqByKey.put(entry.header().key(), entry.header().seq());
        bytes += entry.fileBytes();
        nextSeq = Math.max(nextSeq, entry.header().seq() + 1);
    }

    private void unindex(Entry entry) {
        entries.remove(entry.header().seq());
        seqByKey.remove(entry.header().key());
        bytes -= entry.fileBytes();
    }

    /**
     * Adds an item, durably: once this returns, the item survives a crash.
     *
     * @param body        the item's JSON document
     * @param payload     its payload (an image, a backup, a clip part), empty for none
     * @param payloadType the payload's media type, empty for none
     * @return the item's idempotency key
     * @throws OutboxFullException when the item is larger than the whole outbox may hold
     */
    public String add(OutboxKind kind, String body, byte[] payload, String payloadType) throws IOException {
        return addItem(kind, body, payload.length, payloadType,
                (file, header) -> OutboxFiles.write(file, header, payload));
    }

    /**
     * Adds an item whose payload is a file (a clip), durably, copying the file into the item without holding it in
     * memory; the caller may delete {@code payload} afterwards. The cloud takes such a payload in parts
     * ({@link #payloadPart}).
     *
     * @throws OutboxFullException when the item is larger than the whole outbox may hold
     */
    public String addFile(OutboxKind kind, String body, Path payload, String payloadType) throws IOException {
        long length = Files.size(payload);
        return addItem(kind, body, length, payloadType, (file, header) -> OutboxFiles.write(file, header, payload));
    }

    /** Writes one item file; returns its length. */
    @FunctionalInterface
    private interface ItemWriter {
        long write(Path file, OutboxFiles.Header header) throws IOException;
    }

    private String addItem(OutboxKind kind, String body, long payloadLength, String payloadType, ItemWriter writer)
            throws IOException {
        lock.lock();
        try {
            long seq = nextSeq++;
            byte[] keyBytes = new byte[16];
            random.nextBytes(keyBytes);
            String key = HexFormat.of().formatHex(keyBytes);
            OutboxFiles.Header header = new OutboxFiles.Header(seq, key, kind.label(), clock.instant(), body,
                    payloadLength == 0 ? "" : payloadType);
            long estimate = body.length() * 4L + payloadLength + 512;
            if (estimate > limits.maxBytes()) {
                throw new OutboxFullException("a " + kind.label() + " item of " + payloadLength
                        + " bytes is larger than the outbox holds (" + limits.maxBytes() + " bytes)");
            }
            makeRoom(kind, estimate);
            Path file = OutboxFiles.fileOf(dir, seq);
            long written = writer.write(file, header);
            long payloadOffset = written - payloadLength;
            index(new Entry(header, file, written, payloadOffset, payloadLength));
            added.signalAll();
            return key;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up items in the stated order until one more item of {@code needed} bytes fits, never one worth more than
     * the item added: a day/night image displaces only older day/night images, a backup or clip part no alert.
     * Under the lock.
     *
     * @throws OutboxFullException when only items worth more than the new one are left; the new one is not kept
     */
    private void makeRoom(OutboxKind adding, long needed) throws IOException {
        while (entries.size() + 1 > limits.maxItems() || bytes + needed > limits.maxBytes()) {
            Optional<Entry> victim = oldest(OutboxKind.DAY_NIGHT_IMAGE);
            if (victim.isPresent()) {
                drop(victim.get(), "full: the oldest day/night image gives way");
                continue;
            }
            if (adding == OutboxKind.DAY_NIGHT_IMAGE) {
                throw new OutboxFullException("the outbox is full of alerts, backups and clip parts, which a day/night"
                        + " image does not displace");
            }
            Optional<Entry> withImage = entries.values().stream()
                    .filter(e -> e.header().outboxKind() == OutboxKind.ALERT && e.payloadBytes() > 0).findFirst();
            if (withImage.isPresent() && bytes + needed > limits.maxBytes()) {
                stripPayload(withImage.get());
                continue;
            }
            victim = oldest(OutboxKind.CONFIG_BACKUP).or(() -> oldest(OutboxKind.CLIP_PART));
            if (victim.isEmpty() && adding != OutboxKind.ALERT) {
                throw new OutboxFullException("the outbox is full of alerts, which a " + adding.label()
                        + " does not displace");
            }
            victim = victim.or(() -> oldest(OutboxKind.ALERT));
            if (victim.isEmpty()) {
                throw new OutboxFullException("the outbox cannot make room for " + needed + " bytes");
            }
            drop(victim.get(), "full: the oldest " + victim.get().header().kind() + " gives way");
        }
    }

    private Optional<Entry> oldest(OutboxKind kind) {
        return entries.values().stream().filter(e -> e.header().outboxKind() == kind).findFirst();
    }

    private void drop(Entry entry, String why) throws IOException {
        Files.deleteIfExists(entry.file());
        unindex(entry);
        dropped++;
        LOG.warn("outbox {}: dropped {} item {} of {}", why, entry.header().kind(), entry.header().key(),
                entry.header().createdAt());
    }

    /** Rewrites an alert without its image: the alert is worth more than the room its picture takes. */
    private void stripPayload(Entry entry) throws IOException {
        OutboxFiles.Header header = entry.header();
        OutboxFiles.Header bare = new OutboxFiles.Header(header.seq(), header.key(), header.kind(), header.createdAt(),
                header.body(), "");
        unindex(entry);
        long written = OutboxFiles.write(entry.file(), bare, new byte[0]);
        index(new Entry(bare, entry.file(), written, written, 0));
        dropped++;
        LOG.warn("outbox full: alert {} of {} gives up its image", header.key(), header.createdAt());
    }

    /**
     * Forgets the items the cloud has stored (unknown keys are ignored: acknowledged already, or dropped), and
     * counts their bytes as sent.
     */
    public void acknowledge(Collection<String> keys) throws IOException {
        lock.lock();
        try {
            boolean any = false;
            for (String key : keys) {
                Long seq = seqByKey.get(key);
                if (seq == null) {
                    continue;
                }
                Entry entry = entries.get(seq);
                Files.deleteIfExists(entry.file());
                unindex(entry);
                usage.delivered(entry.header().outboxKind(), entry.header().body().length(), entry.payloadBytes());
                any = true;
            }
            if (any) {
                usage.save();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest items waiting, at most {@code max}, waiting up to {@code wait} for one while there are none.
     * An item stays until acknowledged: the same items come again until then.
     */
    public List<OutboxEnvelope> poll(int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (entries.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                added.awaitNanos(left);
            }
            if (closed) {
                return List.of();
            }
            List<OutboxEnvelope> batch = new ArrayList<>(Math.min(max, entries.size()));
            for (Entry entry : entries.values()) {
                if (batch.size() >= max) {
                    break;
                }
                batch.add(entry.envelope());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** The payload of the item with {@code key}, or empty when there is no such item (acknowledged, dropped). */
    public Optional<byte[]> payload(String key) throws IOException {
        Entry entry;
        lock.lock();
        try {
            Long seq = seqByKey.get(key);
            if (seq == null) {
                return Optional.empty();
            }
            entry = entries.get(seq);
        } finally {
            lock.unlock();
        }
        try {
            return Optional.of(OutboxFiles.readPayload(entry.file(),
                    new OutboxFiles.Read(entry.header(), entry.payloadOffset(), entry.payloadBytes())));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // acknowledged or dropped while we looked
        }
    }

    /**
     * Up to {@code length} bytes of the payload of the item with {@code key} from {@code offset}; empty when there is
     * no such item (acknowledged, dropped). Reads only that part: a clip's payload is never held whole.
     */
    public Optional<byte[]> payloadPart(String key, long offset, int length) throws IOException {
        Entry entry;
        lock.lock();
        try {
            Long seq = seqByKey.get(key);
            if (seq == null) {
                return Optional.empty();
            }
            entry = entries.get(seq);
        } finally {
            lock.unlock();
        }
        if (offset < 0 || offset >= entry.payloadBytes() && entry.payloadBytes() > 0) {
            throw new IllegalArgumentException("offset " + offset + " is outside the payload of item " + key + " ("
                    + entry.payloadBytes() + " bytes)");
        }
        int take = (int) Math.min(length, entry.payloadBytes() - offset);
        try {
            return Optional.of(OutboxFiles.readPart(entry.file(), entry.payloadOffset() + offset, take));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // acknowledged or dropped while we looked
        }
    }

    /** Whether the item with {@code key} still waits for the cloud. */
    public boolean contains(String key) {
        lock.lock();
        try {
            return seqByKey.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    /** The bounds this outbox keeps to. */
    public Limits limits() {
        return limits;
    }

    /** Items waiting now. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of item files waiting now. */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Items given up, or alerts that gave up their image, because the outbox was full, since start. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Ends waiting polls with nothing, now and from now on, so none outlives the recorder by its whole wait. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes per category per day of what the cloud acknowledged. */
    public DataUsage usage() {
        return usage;
    }

}
