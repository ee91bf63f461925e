package dev.outpost.cloud.backups;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.links.LinkRegistry;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.outbox.LinkCalls;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.wire.api.ConfigBackupView;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.outbox.ConfigBackup;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config backups in the cloud (docs/link.md, "Config backups"): sealed with their organization's backup key as they
 * arrive from an outbox, stored in the object store with a row to find them, listed, asked of a recorder over its
 * link, and restored onto any recorder of the same organization by opening them and pushing them over the target's
 * link. Blocking: call it from virtual threads.
 */
public final class ConfigBackups {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigBackups.class);
    public static final int MAX_LIST = 200;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 64 * 1024;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectStore objects;
    private final LinkRegistry links;
    private final GrantIssuer grants;
    private final SecureRandom random = new SecureRandom();

    record BackupRow(String id, String recorderId, Instant takenAt, Instant receivedAt, int cameras, long bytes) {
        ConfigBackupView view() {
            return new ConfigBackupView(id, recorderId, takenAt, receivedAt, cameras, bytes);
        }
    }

    public ConfigBackups(Database database, Clock clock, ObjectStore objects, LinkRegistry links, GrantIssuer grants) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.objects = objects;
        this.links = links;
        this.grants = grants;
    }

    /** A backup as the outbox brings it, read and checked, and the bytes to store: its camera URLs sealed. */
    public record Sealed(ConfigBackup backup, byte[] stored) {
    }

    /**
     * Reads an arriving backup and seals its camera URLs with the organization's key.
     *
     * @throws IllegalArgumentException naming what is wrong with the document
     */
    public Sealed seal(String organizationId, byte[] payload) {
        ConfigBackup backup = ConfigBackup.parse(payload);
        byte[] stored = new BackupSealer(key(organizationId), organizationId, random).seal(backup).toJson();
        return new Sealed(backup, stored);
    }

    /** Stores a sealed backup's row within the caller's transaction; its bytes are at {@code objectKey} already. */
    public void store(Handle handle, String recorderId, String organizationId, String itemKey, Sealed sealed,
                      String objectKey) {
        handle.createUpdate("""
                        insert into config_backups (id, organization_id, recorder_id, item_key, taken_at, received_at,
                            cameras, object_key, bytes)
                        values (:id, :organization, :recorder, :key, :taken, :now, :cameras, :object, :bytes)""")
                .bind("id", RandomIds.next(random, 'b')).bind("organization", organizationId)
                .bind("recorder", recorderId).bind("key", itemKey).bind("taken", sealed.backup().takenAt())
                .bind("now", clock.instant()).bind("cameras", sealed.backup().cameras().size())
                .bind("object", objectKey).bind("bytes", (long) sealed.stored().length)
                .execute();
    }

    /** The backups of a recorder of the user's organization, newest first. @throws ApiFailure 404 */
    public List<ConfigBackupView> list(AuthenticatedUser user, String recorderId) {
        return jdbi.withHandle(handle -> {
            requireRecorder(handle, user, recorderId);
            return handle.createQuery("""
                            select id, recorder_id, taken_at, received_at, cameras, bytes from config_backups
                            where recorder_id = :recorder and organization_id = :organization
                            order by taken_at desc limit :limit""")
                    .bind("recorder", recorderId).bind("organization", user.organizationId()).bind("limit", MAX_LIST)
                    .map(ConstructorMapper.of(BackupRow.class)).list().stream().map(BackupRow::view).toList();
        });
    }

    /**
     * Asks a recorder for a backup now; it arrives through the outbox and shows in {@link #list}.
     *
     * @return the recorder's outbox key of the backup
     * @throws ApiFailure 403 for a viewer, 404 for a recorder not of the organization, 503 when it is offline
     */
    public String request(AuthenticatedUser user, String recorderId) {
        requireManager(user);
        jdbi.useHandle(handle -> requireRecorder(handle, user, recorderId));
        LinkCalls.Answer answer = call(recorderId, HttpMethod.POST, "/api/backups", new byte[0]);
        if (answer.status() != 202) {
            throw new ApiFailure(502, "recorder-refused", "recorder " + recorderId + " did not take a backup: "
                    + recorderError(answer));
        }
        Map<?, ?> body = dev.outpost.wire.json.Json.read(answer.body(), Map.class);
        return String.valueOf(body.get("key"));
    }

    /**
     * Restores a stored backup onto a recorder of the same organization: opens its camera URLs and pushes it over
     * the target's link ({@code PUT /api/config}).
     *
     * @return how many cameras the target now runs
     * @throws ApiFailure 403 for a viewer; 404 for a backup or recorder not of the organization; 503 when the target
     *                    is offline; 502 when it refuses the backup (its reason included)
     */
    public int restore(AuthenticatedUser user, String backupId, String targetRecorderId) {
        requireManager(user);
        if (backupId == null || backupId.isBlank()) {
            throw ApiFailure.badRequest("bad-body", "backupId: missing");
        }
        String objectKey = jdbi.withHandle(handle -> {
            requireRecorder(handle, user, targetRecorderId);
            return handle.createQuery(
                            "select object_key from config_backups where id = :id and organization_id = :organization")
                    .bind("id", backupId).bind("organization", user.organizationId()).mapTo(String.class).findOne()
                    .orElseThrow(() -> ApiFailure.notFound("no config backup " + clip(backupId)
                            + " in your organization"));
        });
        byte[] stored;
        try {
            stored = objects.get(objectKey).orElseThrow(() -> ApiFailure.gone("backup-gone", "config backup "
                    + clip(backupId) + " is no longer in storage"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigBackup opened = new BackupSealer(key(user.organizationId()), user.organizationId(), random)
                .open(ConfigBackup.parse(stored));
        LinkCalls.Answer answer = call(targetRecorderId, HttpMethod.PUT, "/api/config", opened.toJson());
        if (answer.status() != 200) {
            throw new ApiFailure(502, "recorder-refused", "recorder " + targetRecorderId
                    + " did not restore the backup: " + recorderError(answer));
        }
        LOG.info("config backup {} of recorder {} restored onto recorder {} by {}", backupId, opened.recorderId(),
                targetRecorderId, user.userId());
        return opened.cameras().size();
    }

    private LinkCalls.Answer call(String recorderId, HttpMethod method, String path, byte[] body) {
        String grant = grants.issue(Grant.CLOUD_USER, recorderId, Set.of(Grant.ADMIN)).token();
        return LinkCalls.callForApi(links, recorderId, method, path, grant, body, MAX_ANSWER, CALL_TIMEOUT);
    }

    /** The recorder's own error message: it never holds a password (ApiRefusal messages do not). */
    private static String recorderError(LinkCalls.Answer answer) {
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        return answer.status() + " " + (text.length() > 500 ? text.substring(0, 500) : text);
    }

    private static void requireManager(AuthenticatedUser user) {
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only an admin or installer may take or restore config backups");
        }
    }

    private static void requireRecorder(Handle handle, AuthenticatedUser user, String recorderId) {
        boolean ours = handle.createQuery(
                        "select count(*) from recorders where id = :id and organization_id = :organization")
                .bind("id", recorderId).bind("organization", user.organizationId()).mapTo(Integer.class).one() > 0;
        if (!ours) {
            throw ApiFailure.notFound("no recorder " + clip(recorderId) + " in your organization");
        }
    }

    /** The organization's backup key, made on first use. */
    byte[] key(String organizationId) {
        Optional<byte[]> existing = findKey(organizationId);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            jdbi.useHandle(handle -> handle.createUpdate(
                            "insert into backup_keys (organization_id, secret) values (:organization, :secret)")
                    .bind("organization", organizationId).bind("secret", secret).execute());
            return secret;
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return findKey(organizationId).orElseThrow(); // made by another thread at the same moment
            }
            throw e;
        }
    }

    private Optional<byte[]> findKey(String organizationId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select secret from backup_keys where organization_id = :organization")
                .bind("organization", organizationId).mapTo(byte[].class).findOne());
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) : text;
    }
}
