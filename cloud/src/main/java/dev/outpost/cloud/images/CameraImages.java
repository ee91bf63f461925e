package dev.outpost.cloud.images;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.wire.api.CameraImageView;
import dev.outpost.wire.outbox.CameraImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Day/night images in the cloud: stored as they arrive (the JPEG in the object store, a row to find it), listed per
 * organization, recorder and camera. Blocking: call it from virtual threads.
 */
public final class CameraImages {
    public static final int MAX_LIST = 1000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectStore objects;
    private final SecureRandom random = new SecureRandom();

    record ImageRow(String id, String recorderId, String recorderName, String cameraId, String slot, Instant takenAt,
                    int width, int height, long bytes) {
        CameraImageView view() {
            return new CameraImageView(id, recorderId, recorderName, cameraId, slot, takenAt, width, height, bytes,
                    "/api/images/" + id + ".jpg");
        }
    }

    public CameraImages(Database database, Clock clock, ObjectStore objects) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.objects = objects;
    }

    /** Stores an image's row within the caller's transaction; its JPEG is at {@code objectKey} already. */
    public void store(Handle handle, String recorderId, String organizationId, String itemKey, CameraImage image,
                      String objectKey, long bytes) {
        handle.createUpdate("""
                        insert into camera_images (id, organization_id, recorder_id, item_key, camera_id, slot, taken_at,
                            received_at, width, height, object_key, bytes)
                        values (:id, :organization, :recorder, :key, :camera, :slot, :at, :now, :width, :height, :object,
                            :bytes)""")
                .bind("id", RandomIds.next(random, 'i')).bind("organization", organizationId)
                .bind("recorder", recorderId).bind("key", itemKey)
                .bind("camera", clip(image.cameraId(), 64)).bind("slot", clip(image.slot(), 5))
                .bind("at", image.at()).bind("now", clock.instant())
                .bind("width", image.width()).bind("height", image.height())
                .bind("object", objectKey).bind("bytes", bytes)
                .execute();
    }

    /**
     * The day/night images of the user's organization, newest first, optionally of one recorder and camera and since
     * an instant; at most {@code limit} (1 to {@value #MAX_LIST}).
     *
     * @throws ApiFailure 404 for a recorder not of the user's organization; 400 {@code bad-parameter}
     */
    public List<CameraImageView> list(AuthenticatedUser user, Optional<String> recorderId, Optional<String> cameraId,
                                      Optional<Instant> since, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiFailure.badRequest("bad-parameter", "limit: 1 to " + MAX_LIST + ", not " + limit);
        }
        return jdbi.withHandle(handle -> {
            if (recorderId.isPresent()) {
                boolean ours = handle.createQuery(
                                "select count(*) from recorders where id = :id and organization_id = :organization")
                        .bind("id", recorderId.get()).bind("organization", user.organizationId())
                        .mapTo(Integer.class).one() > 0;
                if (!ours) {
                    throw ApiFailure.notFound("no recorder " + clip(recorderId.get(), 40) + " in your organization");
                }
            }
            StringBuilder sql = new StringBuilder("""
                    select i.id, i.recorder_id, r.name as recorder_name, i.camera_id, i.slot, i.taken_at, i.width,
                        i.height, i.bytes
                    from camera_images i join recorders r on r.id = i.recorder_id
                    where i.organization_id = :organization""");
            recorderId.ifPresent(id -> sql.append(" and i.recorder_id = :recorder"));
            cameraId.ifPresent(id -> sql.append(" and i.camera_id = :camera"));
            since.ifPresent(at -> sql.append(" and i.taken_at >= :since"));
            sql.append(" order by i.taken_at desc limit :limit");
            var query = handle.createQuery(sql.toString()).bind("organization", user.organizationId())
                    .bind("limit", limit);
            recorderId.ifPresent(id -> query.bind("recorder", id));
            cameraId.ifPresent(id -> query.bind("camera", id));
            since.ifPresent(at -> query.bind("since", at));
            return query.map(ConstructorMapper.of(ImageRow.class)).list().stream().map(ImageRow::view).toList();
        });
    }

    /** The JPEG of an image of the user's organization. @throws ApiFailure 404 when there is none */
    public byte[] jpeg(AuthenticatedUser user, String imageId) {
        Optional<String> key = jdbi.withHandle(handle -> handle.createQuery(
                        "select object_key from camera_images where id = :id and organization_id = :organization")
                .bind("id", imageId).bind("organization", user.organizationId()).mapTo(String.class).findOne());
        try {
            return objects.get(key.orElseThrow(() -> ApiFailure.notFound("no image " + clip(imageId, 40)
                            + " in your organization")))
                    .orElseThrow(() -> ApiFailure.notFound("image " + imageId + " is no longer stored"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
