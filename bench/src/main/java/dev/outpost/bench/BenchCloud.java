package dev.outpost.bench;

import dev.outpost.cloud.CloudConfig;
import dev.outpost.cloud.CloudServer;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.wire.api.NewActivationCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** A cloud node in this JVM on 127.0.0.1 and a free port, with a known admin, for benchmarks. */
final class BenchCloud implements AutoCloseable {
    static final String ADMIN_EMAIL = "admin@outpost.local";
    static final String ADMIN_PASSWORD = "bench-password-not-secret";

    private final CloudServer server;
    private final AuthenticatedUser admin;
    private final String sessionToken;

    private BenchCloud(CloudServer server, AuthenticatedUser admin, String sessionToken) {
        this.server = server;
        this.admin = admin;
        this.sessionToken = sessionToken;
    }

    static BenchCloud start(Path dataDir) throws IOException {
        CloudServer server = CloudServer.start(config(dataDir, 0));
        var session = server.accounts().login(ADMIN_EMAIL, ADMIN_PASSWORD, "127.0.0.1");
        AuthenticatedUser admin = server.accounts().authenticate(session.token()).orElseThrow();
        return new BenchCloud(server, admin, session.token());
    }

    static CloudConfig config(Path dataDir, int port) {
        return CloudConfig.defaults(dataDir)
                .withBindAddress("127.0.0.1")
                .withPort(port)
                .withAdmin(ADMIN_EMAIL, Optional.of(ADMIN_PASSWORD));
    }

    CloudServer server() {
        return server;
    }

    URI url() {
        return server.localUrl();
    }

    String fingerprint() {
        return server.certificateFingerprint();
    }

    /** The admin's session token: {@code Authorization: Bearer} for the relay and the API. */
    String sessionToken() {
        return sessionToken;
    }

    String activationCode(String recorderName) {
        return server.recorders().createActivationCode(admin, new NewActivationCode(recorderName)).code();
    }

    @Override
    public void close() {
        server.close();
    }
}
