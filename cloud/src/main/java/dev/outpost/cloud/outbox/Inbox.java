package dev.outpost.cloud.outbox;

import dev.outpost.cloud.alerts.Alerts;
import dev.outpost.cloud.backups.ConfigBackups;
import dev.outpost.cloud.clips.Clips;
import dev.outpost.cloud.images.CameraImages;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.store.Database;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.CameraImage;
import dev.outpost.wire.outbox.ClipFacts;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxEnvelope;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where items taken from recorders' outboxes are stored, each exactly once: the item's receipt (recorder and
 * idempotency key, a primary key) and what the item makes (an alert and its emails) commit in one transaction, so
 * an item sent again after a lost acknowledgement or a restart finds its receipt and changes nothing. Payloads go
 * to the object store first, under a key derived from the item's, so storing one twice writes the same object.
 * Blocking: call it from virtual threads.
 */
public final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectStore objects;
    private final Alerts alerts;
    private final CameraImages images;
    private final ConfigBackups backups;
    private final Clips clips;

    public Inbox(Database database, Clock clock, ObjectStore objects, Alerts alerts, CameraImages images,
                 ConfigBackups backups) {
        this(database, clock, objects, alerts, images, backups, new Clips(database, clock, objects));
    }

    public Inbox(Database database, Clock clock, ObjectStore objects, Alerts alerts, CameraImages images,
                 ConfigBackups backups, Clips clips) {
        this.clips = clips;
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.objects = objects;
        this.alerts = alerts;
        this.images = images;
        this.backups = backups;
    }

    /** What became of an item. */
    public enum Outcome { STORED, DUPLICATE }

    /**
     * Stores one item of {@code recorderId}, or recognises it as stored already.
     *
     * @throws IllegalArgumentException for an item that cannot be read (its body is not what its kind says); the
     *                                  caller acknowledges it anyway, since sending it again would not help
     */
    public Outcome receive(String recorderId, OutboxEnvelope envelope, byte[] payload) throws IOException {
        OutboxKind kind = OutboxKind.fromLabel(envelope.kind());
        if (!envelope.key().matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("outbox item key is not 32 hex digits");
        }
        byte[] body = envelope.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Optional<HealthAlert> alert = kind == OutboxKind.ALERT
                ? Optional.of(Json.read(body, HealthAlert.class)) : Optional.empty();
        Optional<CameraImage> image = kind == OutboxKind.DAY_NIGHT_IMAGE
                ? Optional.of(Json.read(body, CameraImage.class)) : Optional.empty();
        if (image.isPresent() && payload.length == 0) {
            throw new IllegalArgumentException("a day/night image without its picture");
        }
        if (kind == OutboxKind.CONFIG_BACKUP && payload.length == 0) {
            throw new IllegalArgumentException("a config backup without its document");
        }
        if (alreadyStored(recorderId, envelope.key())) {
            return Outcome.DUPLICATE;
        }
        // Sealed before it is stored: camera credentials never reach the object store in clear.
        Optional<ConfigBackups.Sealed> backup = Optional.empty();
        if (kind == OutboxKind.CONFIG_BACKUP) {
            String organization = jdbi.withHandle(handle -> handle.createQuery(
                            "select organization_id from recorders where id = :id")
                    .bind("id", recorderId).mapTo(String.class).one());
            backup = Optional.of(backups.seal(organization, payload));
            payload = backup.get().stored();
        }
        Optional<String> objectKey = Optional.empty();
        if (payload.length > 0) {
            String suffix = envelope.payloadType().equals("image/jpeg") ? ".jpg"
                    : kind == OutboxKind.CONFIG_BACKUP ? ".json" : ".bin";
            objectKey = Optional.of(Alerts.objectKey(recorderId, kind.label(), envelope.key(), suffix));
            objects.put(objectKey.get(), payload);
        }
        Optional<String> stored = objectKey;
        Optional<ConfigBackups.Sealed> sealed = backup;
        long payloadBytes = payload.length;
        boolean mail;
        try {
            mail = jdbi.inTransaction(handle -> {
                String organization = handle.createQuery("select organization_id from recorders where id = :id")
                        .bind("id", recorderId).mapTo(String.class).one();
                handle.createUpdate("""
                                insert into outbox_receipts (recorder_id, item_key, kind, created_at, received_at, bytes)
                                values (:recorder, :key, :kind, :created, :now, :bytes)""")
                        .bind("recorder", recorderId).bind("key", envelope.key()).bind("kind", kind.label())
                        .bind("created", envelope.createdAt()).bind("now", clock.instant())
                        .bind("bytes", envelope.body().length() + payloadBytes)
                        .execute();
                if (alert.isPresent()) {
                    alerts.store(handle, recorderId, organization, envelope.key(), alert.get(), stored, payloadBytes);
                    return true;
                }
                if (image.isPresent()) {
                    images.store(handle, recorderId, organization, envelope.key(), image.get(), stored.orElseThrow(),
                            payloadBytes);
                }
                if (sealed.isPresent()) {
                    backups.store(handle, recorderId, organization, envelope.key(), sealed.get(), stored.orElseThrow());
                }
                return false;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return Outcome.DUPLICATE; // another node or puller stored it at the same moment
            }
            throw e;
        }
        if (mail) {
            alerts.onStored();
        }
        LOG.debug("stored {} item {} of recorder {}", kind.label(), envelope.key(), recorderId);
        return Outcome.STORED;
    }

    /**
     * Stores a clip of {@code recorderId}, or recognises it as stored already: its MP4 ({@code file}, whole and
     * checked against its SHA-256) goes to the object store under a key made from the item's, then its row and its
     * receipt commit in one transaction.
     */
    public Outcome receiveClip(String recorderId, OutboxEnvelope envelope, ClipFacts facts, Path file)
            throws IOException {
        if (OutboxKind.fromLabel(envelope.kind()) != OutboxKind.CLIP_PART || !envelope.key().matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a clip item");
        }
        if (alreadyStored(recorderId, envelope.key())) {
            return Outcome.DUPLICATE;
        }
        String objectKey = Clips.objectKey(recorderId, envelope.key());
        objects.putFile(objectKey, file);
        try {
            jdbi.useTransaction(handle -> {
                String organization = handle.createQuery("select organization_id from recorders where id = :id")
                        .bind("id", recorderId).mapTo(String.class).one();
                handle.createUpdate("""
                                insert into outbox_receipts (recorder_id, item_key, kind, created_at, received_at, bytes)
                                values (:recorder, :key, :kind, :created, :now, :bytes)""")
                        .bind("recorder", recorderId).bind("key", envelope.key()).bind("kind", envelope.kind())
                        .bind("created", envelope.createdAt()).bind("now", clock.instant())
                        .bind("bytes", envelope.body().length() + facts.bytes())
                        .execute();
                clips.store(handle, recorderId, organization, envelope.key(), envelope.createdAt(), facts, objectKey);
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
        LOG.info("stored clip {} of recorder {} (camera {}, {} bytes)", envelope.key(), recorderId, facts.cameraId(),
                facts.bytes());
        return Outcome.STORED;
    }

    /** Whether the item {@code key} of {@code recorderId} is stored already. */
    public boolean stored(String recorderId, String key) {
        return alreadyStored(recorderId, key);
    }

    private boolean alreadyStored(String recorderId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select count(*) from outbox_receipts where recorder_id = :recorder and item_key = :key")
                .bind("recorder", recorderId).bind("key", key).mapTo(Integer.class).one() > 0);
    }

    /** Items stored of {@code recorderId}, per kind: for tests and status. */
    public java.util.Map<String, Integer> receipts(String recorderId) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "select kind, count(*) as n from outbox_receipts where recorder_id = :recorder group by kind")
                .bind("recorder", recorderId)
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("kind"), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }
}
