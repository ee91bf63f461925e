package dev.outpost.cloud.clips;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.wire.api.ClipShareView;
import dev.outpost.wire.api.ClipUsageView;
import dev.outpost.wire.api.ClipView;
import dev.outpost.wire.outbox.ClipFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clip library (docs/api.md, "Clip export"): a row per clip stored from a recorder's outbox (its MP4 in the
 * object store), listed per organization, deleted, and shared by time-limited links whose token only the holder
 * knows (the cloud keeps its SHA-256). Every lookup is scoped to the caller's organization; another organization's
 * clip is answered as one that does not exist. Blocking: call it from virtual threads.
 */
public final class Clips {
    private static final Logger LOG = LoggerFactory.getLogger(Clips.class);
    public static final int MAX_LIST = 500;
    static final int DEFAULT_LIST = 100;
    public static final Duration MAX_SHARE = Duration.ofDays(7);
    static final Duration DEFAULT_SHARE = Duration.ofDays(1);

    /** A clip's row: what it is and where its MP4 lies. */
    public record Clip(String id, String organizationId, String recorderId, String cameraId, Instant startsAt,
                       Instant endsAt, long durationMs, int width, int height, long bytes, String sha256,
                       String objectKey, Instant createdAt, Instant receivedAt) {
        public ClipView view() {
            return new ClipView(id, recorderId, cameraId, startsAt, endsAt, durationMs, width, height, bytes, sha256,
                    createdAt, receivedAt);
        }
    }

    private static final String COLUMNS = "id, organization_id, recorder_id, camera_id, starts_at, ends_at,"
            + " duration_ms, width, height, bytes, sha256, object_key, created_at, received_at ";

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectStore objects;
    private final SecureRandom random = new SecureRandom();

    public Clips(Database database, Clock clock, ObjectStore objects) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.objects = objects;
    }

    /** The object key of the clip of outbox item {@code itemKey}: the same item always lands on the same object. */
    public static String objectKey(String recorderId, String itemKey) {
        return ObjectStore.checkKey("clip/" + recorderId + "/" + itemKey + ".mp4");
    }

    /** Stores a clip's row within the caller's transaction; its MP4 is at {@code objectKey} already. */
    public void store(Handle handle, String recorderId, String organizationId, String itemKey, Instant createdAt,
                      ClipFacts facts, String objectKey) {
        handle.createUpdate("""
                        insert into clips (id, organization_id, recorder_id, item_key, export_id, camera_id, starts_at,
                            ends_at, duration_ms, width, height, bytes, sha256, object_key, created_at, received_at)
                        values (:id, :organization, :recorder, :key, :export, :camera, :start, :end, :duration,
                            :width, :height, :bytes, :sha, :object, :created, :now)""")
                .bind("id", RandomIds.next(random, 'c')).bind("organization", organizationId)
                .bind("recorder", recorderId).bind("key", itemKey).bind("export", facts.exportId())
                .bind("camera", facts.cameraId()).bind("start", facts.start()).bind("end", facts.end())
                .bind("duration", facts.durationMillis()).bind("width", facts.width()).bind("height", facts.height())
                .bind("bytes", facts.bytes()).bind("sha", facts.sha256()).bind("object", objectKey)
                .bind("created", createdAt).bind("now", clock.instant())
                .execute();
    }

    /** The organization's clips, newest first, of one recorder or camera if asked. */
    public List<ClipView> list(AuthenticatedUser user, Optional<String> recorderId, Optional<String> cameraId,
                               int limit) {
        int bounded = limit <= 0 ? DEFAULT_LIST : Math.min(limit, MAX_LIST);
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + """
                         from clips where organization_id = :organization
                         and (:recorder = '' or recorder_id = :recorder) and (:camera = '' or camera_id = :camera)
                         order by starts_at desc limit :limit""")
                .bind("organization", user.organizationId()).bind("recorder", recorderId.orElse(""))
                .bind("camera", cameraId.orElse("")).bind("limit", bounded)
                .map(ConstructorMapper.of(Clip.class)).list().stream().map(Clip::view).toList());
    }

    /** A clip of the user's organization. @throws ApiFailure 404 for any other */
    public Clip find(AuthenticatedUser user, String clipId) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS
                        + " from clips where id = :id and organization_id = :organization")
                .bind("id", clipId).bind("organization", user.organizationId())
                .map(ConstructorMapper.of(Clip.class)).findOne())
                .orElseThrow(() -> ApiFailure.notFound("no clip " + clip(clipId) + " in your organization"));
    }

    /** Deletes a clip, its MP4 and its share links. @throws ApiFailure 403 for a viewer, 404 */
    public void delete(AuthenticatedUser user, String clipId) {
        requireManager(user);
        Clip clip = find(user, clipId);
        jdbi.useTransaction(handle -> {
            handle.createUpdate("delete from clip_shares where clip_id = :id").bind("id", clip.id()).execute();
            handle.createUpdate("delete from clips where id = :id").bind("id", clip.id()).execute();
        });
        try {
            objects.delete(clip.objectKey());
        } catch (IOException e) {
            // The row is gone, so nothing serves it; the object is only storage to reclaim.
            LOG.warn("clip {} deleted, but its object {} could not be: {}", clip.id(), clip.objectKey(),
                    e.getMessage());
        }
        LOG.info("clip {} of recorder {} deleted by {}", clip.id(), clip.recorderId(), user.userId());
    }

    /** A link that plays the clip without logging in for {@code minutes} (0: a day). @throws ApiFailure 400, 403, 404 */
    public ClipShareView share(AuthenticatedUser user, String clipId, int minutes) {
        requireManager(user);
        if (minutes < 0 || minutes > MAX_SHARE.toMinutes()) {
            throw ApiFailure.badRequest("bad-body", "minutes: " + minutes + " is not from 1 to "
                    + MAX_SHARE.toMinutes() + " (a week)");
        }
        Clip clip = find(user, clipId);
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expires = clock.instant().plus(minutes == 0 ? DEFAULT_SHARE : Duration.ofMinutes(minutes));
        jdbi.useHandle(handle -> handle.createUpdate("""
                        insert into clip_shares (token_hash, clip_id, created_by, expires_at)
                        values (:hash, :clip, :user, :expires)""")
                .bind("hash", hash(token)).bind("clip", clip.id()).bind("user", user.userId())
                .bind("expires", expires).execute());
        return new ClipShareView("/api/shared/" + token + "/video.mp4", token, expires);
    }

    /** The clip a share token opens. @throws ApiFailure 404 for an unknown token, 410 once it expired */
    public Clip shared(String token) {
        if (!token.matches("[A-Za-z0-9_-]{32}")) {
            throw ApiFailure.notFound("no such shared clip");
        }
        record Share(String clipId, Instant expiresAt) {
        }
        Share share = jdbi.withHandle(handle -> handle.createQuery(
                        "select clip_id, expires_at from clip_shares where token_hash = :hash")
                .bind("hash", hash(token)).map(ConstructorMapper.of(Share.class)).findOne())
                .orElseThrow(() -> ApiFailure.notFound("no such shared clip"));
        if (!clock.instant().isBefore(share.expiresAt())) {
            throw ApiFailure.gone("share-expired", "this link to a clip expired at " + share.expiresAt()
                    + "; ask whoever sent it for a new one");
        }
        return jdbi.withHandle(handle -> handle.createQuery("select " + COLUMNS + " from clips where id = :id")
                .bind("id", share.clipId()).map(ConstructorMapper.of(Clip.class)).findOne())
                .orElseThrow(() -> ApiFailure.gone("share-expired", "the shared clip was deleted"));
    }

    /** The storage the organization's clips take. */
    public ClipUsageView usage(AuthenticatedUser user) {
        record Usage(long clips, long bytes) {
        }
        Usage usage = jdbi.withHandle(handle -> handle.createQuery(
                        "select count(*) as clips, coalesce(sum(bytes), 0) as bytes from clips"
                                + " where organization_id = :organization")
                .bind("organization", user.organizationId()).map(ConstructorMapper.of(Usage.class)).one());
        return new ClipUsageView(user.organizationId(), usage.clips(), usage.bytes());
    }

    /** Bytes of a clip's MP4 from {@code offset}: what {@code video.mp4} streams. */
    public byte[] read(Clip clip, long offset, int length) throws IOException {
        return objects.read(clip.objectKey(), offset, length).orElseThrow(() -> new IOException("clip " + clip.id()
                + " is missing from the object store (" + clip.objectKey() + ")"));
    }

    static void requireManager(AuthenticatedUser user) {
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only an admin or installer may export, delete or share clips");
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) : text;
    }
}
