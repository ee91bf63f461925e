package dev.outpost.client;

import dev.outpost.client.p2p.P2pDialer;
import dev.outpost.client.p2p.P2pLink;
import dev.outpost.p2p.http.Http1Response;
import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.RecorderCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A connection to one recorder by the best path that works (docs/paths.md): asks the cloud's broker for the
 * paths, races them ({@link PathRace}), and reads the recorder's API on the winner. A LAN or Direct path is
 * HTTPS verified against the cloud's recorder CA and the recorder's name, with the grant from the broker; the
 * relay goes through the cloud with this client's session. {@link #openLive} keeps a never-ending stream going
 * across paths: when its path goes silent or breaks it races the paths again.
 *
 * <p>Close it when done; that ends every stream it opened.
 */
public final class RecorderConnection implements AutoCloseable {
    /** Connecting and answering on a LAN or Direct path: a path slower than this is not worth having. */
    static final Duration DIRECT_CONNECT_TIMEOUT = Duration.ofMillis(1500);
    /** The relay path's answer to the probe: through the cloud and the link. */
    static final Duration RELAY_PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final String PROBE = "/api/info";

    private final OutpostClient cloud;
    private final String recorderId;
    private final List<RecorderPath> history = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile ConnectView view;
    private volatile HttpClient directHttp;
    private volatile RecorderPath path;
    private volatile List<PathRace.Outcome> outcomes = List.of();
    /** The P2P link once one was set up; null before, and after it failed. */
    private P2pLink p2p;
    private volatile Optional<String> p2pOutcome = Optional.empty();
    private volatile boolean p2pDisabled;

    private RecorderConnection(OutpostClient cloud, String recorderId) {
        this.cloud = cloud;
        this.recorderId = recorderId;
    }

    /**
     * Asks the broker and races its paths; returns once one answered.
     *
     * @throws OutpostException from the broker (404 for an unknown recorder)
     * @throws IllegalStateException when no path answered, saying why for each
     */
    public static RecorderConnection open(OutpostClient cloud, String recorderId) throws InterruptedException {
        RecorderConnection connection = new RecorderConnection(cloud, recorderId);
        connection.race(Set.of());
        return connection;
    }

    /** The path in use now. */
    public RecorderPath path() {
        return path;
    }

    /** Every path used so far, the first one first. */
    public List<RecorderPath> history() {
        return List.copyOf(history);
    }

    /** What the last race made of each path it tried, as {@code kind url: result}. */
    public List<String> lastRace() {
        return outcomes.stream().map(o -> o.path().kind() + " " + o.path().url() + ": " + o.result()).toList();
    }

    /**
     * A GET of the recorder's {@code apiPath} on the current path, returned once the headers are in.
     *
     * @throws IOException when the path fails
     */
    public RelayResponse get(String apiPath) throws IOException, InterruptedException {
        return get(path, apiPath, Optional.empty());
    }

    /**
     * A never-ending GET ({@code live.mp4}) that survives its path: when no byte arrives for {@code stall} or the
     * stream breaks, the paths are raced again without the one that failed, and the stream goes on from the
     * recorder's answer on the new path (which starts anew: for live video, a new init segment and keyframe).
     * {@code onSwitch} hears each new path.
     */
    public InputStream openLive(String apiPath, Duration stall, Consumer<RecorderPath> onSwitch)
            throws IOException, InterruptedException {
        FailoverStream stream = new FailoverStream(this, apiPath, stall, onSwitch);
        open.add(stream);
        return stream;
    }

    /** Tells the cloud, in the background, which path a stream now uses (its P2P vs relay counts); best effort. */
    void reportPath(RecorderPath used) {
        Thread.ofVirtual().name("report-path").start(() -> {
            try {
                cloud.reportPath(recorderId, used.kind());
            } catch (RuntimeException ignored) {
                // only a statistic
            }
        });
    }

    /** Whether the broker offered a {@code p2p} path (the recorder answers P2P signalling) and it is not disabled. */
    boolean offersP2p() {
        return !p2pDisabled && view.paths().stream().anyMatch(p -> p.kind().equals(PathView.P2P));
    }

    /** Streams opened from now on stay on the raced paths: no upgrade to peer-to-peer. */
    public void disableP2p() {
        p2pDisabled = true;
    }

    /**
     * What became of the attempt to go peer-to-peer, in words: the setup times once it worked, why not otherwise;
     * empty before any attempt.
     */
    public Optional<String> p2pOutcome() {
        return p2pOutcome;
    }

    /**
     * A GET of {@code apiPath} on a P2P link (set up first if there is none: signalling through the relay, ICE
     * within {@link P2pDialer#ICE_BOUND}, QUIC), returned once the head is in. The current path stays as it is
     * until {@link #switchedToP2p}.
     *
     * @throws IOException when P2P cannot be set up or the request fails
     */
    synchronized RelayResponse openP2p(String apiPath) throws IOException, InterruptedException {
        if (p2p == null) {
            p2p = P2pDialer.dial(cloud, recorderId, P2pDialer.ICE_BOUND);
            P2pLink.Setup setup = p2p.setup();
            p2pOutcome = Optional.of(String.format("p2p set up in %d ms (signalling %d ms, ICE %d ms, QUIC %d ms): %s",
                    setup.total().toMillis(), setup.signalling().toMillis(), setup.ice().toMillis(),
                    setup.quic().toMillis(), setup.pair()));
        }
        return p2pGet(p2p, apiPath);
    }

    private RelayResponse p2pGet(P2pLink link, String apiPath) throws IOException {
        Http1Response answer = link.get(apiPath, view.grant());
        Map<String, List<String>> headers = new java.util.HashMap<>();
        answer.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        return new RelayResponse("GET", p2pUrl(link), "QUIC", answer.status(), HttpHeaders.of(headers, (a, b) -> true),
                answer.body());
    }

    /** The P2P attempt failed: the stream stays where it is. */
    void p2pFailed(String why) {
        p2pOutcome = Optional.of("p2p not used: " + why);
        synchronized (this) {
            if (p2p != null) {
                p2p.close();
                p2p = null;
            }
        }
    }

    /** The stream moved to the P2P link: it is the path now. */
    synchronized RecorderPath switchedToP2p() {
        path = new RecorderPath(PathView.P2P, p2pUrl(p2p), p2p.setup().total());
        history.add(path);
        return path;
    }

    private static URI p2pUrl(P2pLink link) {
        java.net.InetSocketAddress remote = link.setup().remote();
        return URI.create("quic://" + remote.getAddress().getHostAddress() + ":" + remote.getPort());
    }

    /** Opens {@code apiPath} after racing the paths again, leaving out those of the kinds in {@code failed}. */
    RelayResponse reopen(String apiPath, Set<String> failed) throws IOException, InterruptedException {
        if (failed.contains(PathView.P2P)) {
            p2pFailed("the P2P stream broke off");
        }
        race(failed);
        return get(path, apiPath, Optional.empty());
    }

    private void race(Set<String> failedKinds) throws InterruptedException {
        view = cloud.connect(recorderId);
        directHttp = directClient(view);
        // p2p is not raced: a stream upgrades to it once it works (FailoverStream)
        List<PathView> raceable = view.paths().stream().filter(p -> !p.kind().equals(PathView.P2P)).toList();
        List<PathView> candidates = new ArrayList<>(raceable.stream()
                .filter(p -> !failedKinds.contains(p.kind())).toList());
        if (candidates.isEmpty()) {
            candidates.addAll(raceable);
        }
        PathRace.Result<RecorderPath> result;
        try {
            result = PathRace.run(candidates, this::probe, unused -> {
            });
        } catch (PathRace.PathsFailedException e) {
            outcomes = e.outcomes();
            throw new IllegalStateException("cannot reach recorder " + recorderId + ": " + e.getMessage(), e);
        }
        outcomes = result.outcomes();
        path = new RecorderPath(result.path().kind(), result.opened().url(), result.elapsed());
        history.add(path);
    }

    /** Probes one path with {@code GET /api/info}; bounded in time. */
    private RecorderPath probe(PathView candidate) throws Exception {
        RecorderPath trying = new RecorderPath(candidate.kind(), url(candidate), Duration.ZERO);
        Duration timeout = candidate.kind().equals(PathView.RELAY) ? RELAY_PROBE_TIMEOUT : DIRECT_CONNECT_TIMEOUT;
        try (RelayResponse answer = get(trying, PROBE, Optional.of(timeout))) {
            answer.requireSuccess();
            answer.body().readNBytes(64 * 1024);
        }
        return trying;
    }

    private RelayResponse get(RecorderPath on, String apiPath, java.util.Optional<Duration> timeout)
            throws IOException, InterruptedException {
        if (on.kind().equals(PathView.RELAY)) {
            return cloud.relayGet(recorderId, apiPath);
        }
        if (on.kind().equals(PathView.P2P)) {
            P2pLink link;
            synchronized (this) {
                link = p2p;
            }
            if (link == null) {
                throw new IOException("the P2P link is gone");
            }
            return p2pGet(link, apiPath);
        }
        String relative = apiPath.startsWith("/") ? apiPath : "/" + apiPath;
        URI uri = URI.create(on.url() + relative);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + view.grant())
                .header("User-Agent", "outpost-client/0.1");
        timeout.ifPresent(request::timeout);
        HttpResponse<InputStream> response = directHttp.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new RelayResponse("GET", uri, response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                response.statusCode(), response.headers(), response.body());
    }

    private URI url(PathView candidate) {
        return candidate.kind().equals(PathView.RELAY) ? cloud.cloud().resolve(candidate.url().substring(1))
                : URI.create(candidate.url());
    }

    private HttpClient directClient(ConnectView broker) {
        HttpClient previous = directHttp;
        if (previous != null) {
            open.add(previous::shutdownNow);
        }
        try {
            TrustManager trust = RecorderCertificates.trustManager(
                    Pem.readCertificates(broker.certificateAuthority()).getFirst(), recorderId);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(context)
                    .connectTimeout(DIRECT_CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("the broker's recorder CA is unusable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        HttpClient http = directHttp;
        if (http != null) {
            http.shutdownNow();
        }
        synchronized (this) {
            if (p2p != null) {
                p2p.close();
                p2p = null;
            }
        }
    }

    @Override
    public String toString() {
        return "RecorderConnection[" + recorderId + " by " + path + "]";
    }
}
