package dev.outpost.system;

import static org.awaitility.Awaitility.await;

import dev.outpost.client.CloudTrust;
import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.CloudConfig;
import dev.outpost.cloud.CloudServer;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A whole Outpost on loopback for one test: a cloud on a free port with a known admin, and recorders
 * activated with real codes over real TLS. Everything it starts, it stops.
 */
final class Site implements AutoCloseable {
    static final String ADMIN = "admin@outpost.test";
    static final String PASSWORD = "correct horse battery staple";

    private final Path dir;
    private final UnaryOperator<CloudConfig> cloudTweak;
    private CloudServer cloud;
    private final List<Recorder> recorders = new ArrayList<>();
    private final List<OutpostClient> clients = new ArrayList<>();

    private Site(Path dir, UnaryOperator<CloudConfig> cloudTweak) {
        this.dir = dir;
        this.cloudTweak = cloudTweak;
    }

    static Site start(Path dir) throws IOException {
        return start(dir, UnaryOperator.identity());
    }

    static Site start(Path dir, UnaryOperator<CloudConfig> cloudTweak) throws IOException {
        Site site = new Site(dir, cloudTweak);
        site.cloud = CloudServer.start(site.cloudConfig(0));
        return site;
    }

    private CloudConfig cloudConfig(int port) {
        return cloudTweak.apply(CloudConfig.defaults(dir.resolve("cloud"))
                .withBindAddress("127.0.0.1")
                .withPort(port)
                .withAdmin(ADMIN, Optional.of(PASSWORD)));
    }

    CloudServer cloud() {
        return cloud;
    }

    /** Stops the cloud and starts it again on the same port and data, as an operator's restart would. */
    void restartCloud() throws IOException {
        int port = cloud.port();
        cloud.close();
        cloud = CloudServer.start(cloudConfig(port));
    }

    void stopCloud() {
        cloud.close();
    }

    void startCloudAgain(int port) throws IOException {
        cloud = CloudServer.start(cloudConfig(port));
    }

    /** A client logged in as {@code email}, trusting the cloud's self-signed certificate by its fingerprint. */
    OutpostClient client(String email, String password) {
        return client(email, password, false);
    }

    /** Like {@link #client(String, String)}, speaking HTTP/2 to the cloud when {@code http2}. */
    OutpostClient client(String email, String password, boolean http2) {
        OutpostClient client = OutpostClient.builder(cloud.localUrl())
                .trust(CloudTrust.pinned(cloud.certificateFingerprint()))
                .http2(http2)
                .build();
        client.login(email, password);
        clients.add(client);
        return client;
    }

    OutpostClient admin() {
        return client(ADMIN, PASSWORD);
    }

    OutpostClient adminOverHttp2() {
        return client(ADMIN, PASSWORD, true);
    }

    /** A recorder activated with a fresh code, online once this returns. */
    Recorder recorder(String name) throws Exception {
        return recorder(name, UnaryOperator.identity());
    }

    Recorder recorder(String name, UnaryOperator<RecorderConfig> tweak) throws Exception {
        return recorder(name, cloud.localUrl(), tweak);
    }

    /** A recorder activated against {@code cloudUrl} (a name only a proxy can resolve, for example). */
    Recorder recorder(String name, URI cloudUrl, UnaryOperator<RecorderConfig> tweak) throws Exception {
        String code = admin().createActivationCode(name).code();
        RecorderConfig config = tweak.apply(recorderConfig(recorders.size()).withActivation(cloudUrl, code));
        Recorder recorder = Recorder.start(config);
        recorders.add(recorder);
        awaitOnline(recorder);
        return recorder;
    }

    /** The configuration of the n-th recorder of this site: its own data directory, fast reconnects. */
    RecorderConfig recorderConfig(int n) {
        return RecorderConfig.defaults(dir.resolve("recorder-" + n))
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    /** Starts a recorder that is already activated in the data directory of {@code config}, without waiting. */
    Recorder restart(RecorderConfig config) throws Exception {
        Recorder recorder = Recorder.start(config);
        recorders.add(recorder);
        return recorder;
    }

    void awaitOnline(Recorder recorder) {
        await("recorder " + recorder.identity().recorderId() + " online").atMost(Duration.ofSeconds(20))
                .until(() -> cloud.links().isOnline(recorder.identity().recorderId()));
    }

    @Override
    public void close() {
        clients.forEach(OutpostClient::close);
        recorders.forEach(Recorder::close);
        cloud.close();
    }
}
