package dev.outpost.cloud.api;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.http.SessionTokens;
import dev.outpost.cloud.links.LinkRegistry;
import dev.outpost.cloud.links.RecorderLink;
import dev.outpost.cloud.paths.ClientAddress;
import dev.outpost.cloud.paths.PathBroker;
import dev.outpost.cloud.recorders.Activation;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.cloud.tls.CloudCertificate;
import dev.outpost.cloud.tls.RecorderCa;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.RecorderCertificates;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.ActivationResponse;
import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.GrantView;
import dev.outpost.wire.api.LoginRequest;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.PathUsed;
import dev.outpost.wire.api.RecorderChange;
import dev.outpost.wire.api.UserChange;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.time.Clock;
import java.time.Duration;

/** The cloud's JSON API (docs/api.md): each route in one line, each handler a few. */
public final class CloudApi {
    private final Accounts accounts;
    private final RecorderDirectory recorders;
    private final LinkRegistry links;
    private final GrantIssuer grants;
    private final CloudCertificate certificate;
    private final CloudAccess access;
    private final Clock clock;
    private final PathBroker broker;
    private final ClientAddress clientAddress;
    private final RecorderCa recorderCa;

    public CloudApi(Accounts accounts, RecorderDirectory recorders, LinkRegistry links, GrantIssuer grants,
                    CloudCertificate certificate, CloudAccess access, Clock clock, PathBroker broker,
                    ClientAddress clientAddress, RecorderCa recorderCa) {
        this.recorderCa = recorderCa;
        this.broker = broker;
        this.clientAddress = clientAddress;
        this.accounts = accounts;
        this.recorders = recorders;
        this.links = links;
        this.grants = grants;
        this.certificate = certificate;
        this.access = access;
        this.clock = clock;
    }

    public ApiRouter router() {
        return new ApiRouter()
                .add(HttpMethod.POST, "/api/login", this::login)
                .add(HttpMethod.POST, "/api/logout", this::logout)
                .add(HttpMethod.GET, "/api/me", call -> ApiReply.ok(accounts.me(user(call))))
                .add(HttpMethod.GET, "/api/recorders", call -> ApiReply.ok(recorders.list(user(call), links::isOnline)))
                .add(HttpMethod.GET, "/api/recorders/{id}", this::recorder)
                .add(HttpMethod.PATCH, "/api/recorders/{id}", call -> ApiReply.ok(recorders.rename(user(call),
                        call.param(0), call.body(RecorderChange.class).name(), links::isOnline)))
                .add(HttpMethod.POST, "/api/recorders/{id}/revoke", this::revoke)
                .add(HttpMethod.POST, "/api/recorders/{id}/grant", this::grant)
                .add(HttpMethod.POST, "/api/recorders/{id}/connect", this::connect)
                .add(HttpMethod.POST, "/api/recorders/{id}/sessions", call -> {
                    access.authorize(call.sessionToken(), call.param(0));
                    broker.sessions().used(call.param(0), call.body(PathUsed.class).kind());
                    return ApiReply.noContent();
                })
                .add(HttpMethod.GET, "/api/recorders/{id}/sessions", call -> {
                    access.authorize(call.sessionToken(), call.param(0));
                    return ApiReply.ok(broker.sessions().of(call.param(0)));
                })
                .add(HttpMethod.GET, "/api/recorders/{id}/network", call -> ApiReply.ok(
                        broker.settings(managedRecorder(call).id())))
                .add(HttpMethod.PUT, "/api/recorders/{id}/network", call -> ApiReply.ok(
                        broker.save(managedRecorder(call).id(), call.body(RemoteNetworkSettings.class))))
                .add(HttpMethod.POST, "/api/activation-codes", call -> ApiReply.created(
                        recorders.createActivationCode(user(call), call.body(NewActivationCode.class))))
                .add(HttpMethod.POST, "/api/activate", this::activate)
                .add(HttpMethod.GET, "/api/users", call -> ApiReply.ok(accounts.users(user(call))))
                .add(HttpMethod.POST, "/api/users", call -> ApiReply.created(
                        accounts.createUser(user(call), call.body(NewUser.class))))
                .add(HttpMethod.PATCH, "/api/users/{id}", call -> ApiReply.ok(
                        accounts.changeRole(user(call), call.param(0), call.body(UserChange.class).role())))
                .add(HttpMethod.DELETE, "/api/users/{id}", call -> {
                    accounts.removeUser(user(call), call.param(0));
                    return ApiReply.noContent();
                })
                .add(HttpMethod.POST, "/api/organizations", call -> ApiReply.created(
                        accounts.createOrganization(user(call), call.body(NewOrganization.class))));
    }

    private AuthenticatedUser user(ApiCall call) {
        return access.user(call.sessionToken());
    }

    private ApiReply login(ApiCall call) {
        LoginRequest request = call.body(LoginRequest.class);
        if (request.email() == null || request.password() == null) {
            throw ApiFailure.badRequest("bad-body", "login needs an email and a password");
        }
        LoginResponse response = accounts.login(request.email(), request.password(),
                clientAddress.of(call.remoteAddress(), call.headers()));
        DefaultCookie cookie = new DefaultCookie(SessionTokens.COOKIE, response.token());
        cookie.setHttpOnly(true);
        cookie.setSecure(true);
        cookie.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Strict);
        cookie.setPath("/");
        cookie.setMaxAge(Math.max(0, Duration.between(clock.instant(), response.expiresAt()).toSeconds()));
        return ApiReply.ok(response).withHeader("Set-Cookie", ServerCookieEncoder.STRICT.encode(cookie));
    }

    private ApiReply logout(ApiCall call) {
        call.sessionToken().ifPresent(accounts::logout);
        DefaultCookie cleared = new DefaultCookie(SessionTokens.COOKIE, "");
        cleared.setHttpOnly(true);
        cleared.setSecure(true);
        cleared.setPath("/");
        cleared.setMaxAge(0);
        return ApiReply.noContent().withHeader("Set-Cookie", ServerCookieEncoder.STRICT.encode(cleared));
    }

    private ApiReply recorder(ApiCall call) {
        return ApiReply.ok(recorders.find(user(call), call.param(0), links::isOnline)
                .orElseThrow(() -> ApiFailure.notFound("no recorder " + call.param(0) + " in your organization")));
    }

    private ApiReply revoke(ApiCall call) {
        recorders.revoke(user(call), call.param(0));
        links.disconnect(call.param(0)); // at once: the next dial is refused as revoked
        return ApiReply.noContent();
    }

    private ApiReply grant(ApiCall call) {
        var permit = access.authorize(call.sessionToken(), call.param(0));
        GrantIssuer.SignedGrant grant = grants.issue(permit.userId(), call.param(0), permit.rights());
        return ApiReply.ok(new GrantView(grant.token(), grant.expiresAt()));
    }

    /**
     * A grant and the paths to try, best first, for the viewer where the cloud sees it (its public address: the
     * TCP peer's, or a trusted proxy's word for it).
     */
    private ApiReply connect(ApiCall call) {
        String recorderId = call.param(0);
        var permit = access.authorize(call.sessionToken(), recorderId);
        String viewer = clientAddress.of(call.remoteAddress(), call.headers());
        java.util.Optional<String> recorderAddress = links.find(recorderId).map(RecorderLink::publicAddress)
                .or(() -> recorders.find(user(call), recorderId, links::isOnline).map(RecorderView::publicAddress)
                        .filter(address -> !address.isEmpty()));
        GrantIssuer.SignedGrant grant = grants.issue(permit.userId(), recorderId, permit.rights());
        return ApiReply.ok(new ConnectView(recorderId, grant.token(), grant.expiresAt(), viewer,
                broker.paths(recorderId, viewer, recorderAddress, links.find(recorderId).map(RecorderLink::p2p)
                        .orElse(false)), recorderCa.certificatePem(),
                RecorderCertificates.name(recorderId)));
    }

    /** The recorder, if the user's organization has it and the user may change its settings. */
    private RecorderView managedRecorder(ApiCall call) {
        AuthenticatedUser user = user(call);
        RecorderView recorder = recorders.find(user, call.param(0), links::isOnline)
                .orElseThrow(() -> ApiFailure.notFound("no recorder " + call.param(0) + " in your organization"));
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only admins and installers see and change a recorder's network settings");
        }
        return recorder;
    }

    private ApiReply activate(ApiCall call) {
        ActivationRequest request = call.body(ActivationRequest.class);
        java.security.PublicKey localKey = null;
        if (request.localPublicKey() != null && !request.localPublicKey().isBlank()) {
            try {
                localKey = Pem.readPublicKey(request.localPublicKey());
            } catch (RuntimeException e) {
                throw ApiFailure.badRequest("bad-body", "localPublicKey is not a PEM public key");
            }
        }
        Activation activation = recorders.activate(request, certificate.fingerprint());
        String localCertificate = localKey == null ? "" : recorderCa.issue(activation.recorderId(), localKey);
        return ApiReply.ok(new ActivationResponse(activation.recorderId(), activation.recorderName(),
                activation.credential(), grants.publicKeyBase64(), certificate.leafPem(), activation.cloudProof(),
                localCertificate));
    }
}
