package dev.outpost.cloud.paths;

import dev.outpost.cloud.api.ApiCall;
import dev.outpost.cloud.api.ApiReply;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.wire.api.LocalSignIn;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;

/**
 * The web client's sign-in for a recorder's own port (docs/web.md, "On the recorder's LAN port"): a user signed in to
 * the cloud asks for a grant for a recorder of their organization, to be taken back to the recorder's local address
 * (checked by {@link LocalReturnAddress}), where the app then talks to the recorder directly. The grant lives
 * {@link #GRANT_LIFETIME}, so viewing on the LAN goes on while the cloud is out of reach.
 */
public final class LocalSignInApi {
    /** Long enough for a shift of viewing on the LAN without the cloud; a revoked user keeps it until then. */
    public static final Duration GRANT_LIFETIME = Duration.ofHours(8);

    private final CloudAccess access;
    private final GrantIssuer grants;
    private final RecorderNetworks networks;

    public LocalSignInApi(CloudAccess access, GrantIssuer grants, RecorderNetworks networks) {
        this.access = access;
        this.grants = grants;
        this.networks = networks;
    }

    public ApiRouter addTo(ApiRouter router) {
        return router.add(HttpMethod.POST, "/api/recorders/{id}/local-sign-in", this::signIn);
    }

    private ApiReply signIn(ApiCall call) {
        String recorderId = call.param(0);
        var permit = access.authorize(call.sessionToken(), recorderId);
        String returnTo = LocalReturnAddress.checked(recorderId, call.body(LocalSignIn.Request.class).returnTo(),
                networks.localEndpoint(recorderId));
        GrantIssuer.SignedGrant grant = grants.issueFor(permit.userId(), recorderId, permit.rights(), GRANT_LIFETIME);
        return ApiReply.ok(new LocalSignIn.Granted(recorderId, grant.token(), grant.expiresAt(), returnTo));
    }
}
