package dev.outpost.cloud.relay;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.accounts.Role;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.wire.grant.Grant;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking and what they may reach: sessions from {@link Accounts}, recorder ownership from the
 * {@link RecorderDirectory}. A recorder of another organization is answered exactly like one that
 * does not exist, so ids cannot be probed.
 */
public final class CloudAccess implements RelayAccess {
    private final Accounts accounts;
    private final RecorderDirectory recorders;

    public CloudAccess(Accounts accounts, RecorderDirectory recorders) {
        this.accounts = accounts;
        this.recorders = recorders;
    }

    public AuthenticatedUser user(Optional<String> sessionToken) {
        return sessionToken.flatMap(accounts::authenticate)
                .orElseThrow(() -> ApiFailure.unauthorized("log in first: no valid session (it may have expired)"));
    }

    @Override
    public Permit authorize(Optional<String> sessionToken, String recorderId) {
        AuthenticatedUser user = user(sessionToken);
        if (!recorders.mayAccess(user, recorderId)) {
            throw ApiFailure.notFound("no recorder " + recorderId + " in your organization");
        }
        Set<String> rights = user.role() == Role.VIEWER ? Set.of(Grant.VIEW)
                : Set.of(Grant.VIEW, Grant.ADMIN, Grant.EXPORT);
        return new Permit(user.userId(), rights);
    }
}
