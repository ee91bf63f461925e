package dev.outpost.wire.grant;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a signed grant says: this user may use these rights on this recorder until it expires.
 *
 * @param id       unique grant id (JWT "jti"), for logs and audits
 * @param userId   the user the cloud vouches for (JWT "sub")
 * @param recorderId the one recorder the grant is good for (JWT "aud")
 * @param rights   what the holder may do, for example {@link #VIEW}
 * @param issuedAt when the cloud signed it
 * @param expiresAt after this instant the recorder refuses it
 */
public record Grant(String id, String userId, String recorderId, Set<String> rights, Instant issuedAt,
                    Instant expiresAt) {
    public static final String VIEW = "view";
    public static final String ADMIN = "admin";
    /**
     * Exporting clips ({@code POST /api/exports}): the cloud gives it to admins and installers, not to viewers, since
     * a clip leaves the site and is kept in the cloud.
     */
    public static final String EXPORT = "export";
    /**
     * Taking items from the recorder's outbox: the cloud signs it for itself (user {@link #CLOUD_USER}), never for
     * a person.
     */
    public static final String OUTBOX = "outbox";
    /** The user of the grants the cloud signs for its own requests to a recorder. */
    public static final String CLOUD_USER = "cloud";

    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(recorderId, "recorderId");
        rights = Set.copyOf(rights);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean allows(String right) {
        return rights.contains(right);
    }
}
