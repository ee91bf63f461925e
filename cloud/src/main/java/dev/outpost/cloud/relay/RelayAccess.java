package dev.outpost.cloud.relay;

import dev.outpost.cloud.ApiFailure;
import java.util.Optional;
import java.util.Set;

/** Who may use the relay to which recorder. Blocking (database); called on a virtual thread. */
public interface RelayAccess {
    /** The user a grant is signed for and the rights it carries. */
    record Permit(String userId, Set<String> rights) {
    }

    /**
     * @param sessionToken the viewer's session, if the request carried one
     * @throws ApiFailure 401 without a valid session; 404 when the recorder is not the user's
     *                    organization's (the same answer as for a recorder that does not exist)
     */
    Permit authorize(Optional<String> sessionToken, String recorderId);
}
