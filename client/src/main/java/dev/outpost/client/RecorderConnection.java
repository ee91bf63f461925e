package dev.outpost.client;

import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.RecorderCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        return get(path, apiPath, java.util.Optional.empty());
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

    /** Opens {@code apiPath} after racing the paths again, leaving out those of the kinds in {@code failed}. */
    RelayResponse reopen(String apiPath, Set<String> failed) throws IOException, InterruptedException {
        race(failed);
        return get(path, apiPath, java.util.Optional.empty());
    }

    private void race(Set<String> failedKinds) throws InterruptedException {
        view = cloud.connect(recorderId);
        directHttp = directClient(view);
        List<PathView> candidates = new ArrayList<>(view.paths().stream()
                .filter(p -> !failedKinds.contains(p.kind())).toList());
        if (candidates.isEmpty()) {
            candidates.addAll(view.paths());
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
        try (RelayResponse answer = get(trying, PROBE, java.util.Optional.of(timeout))) {
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
    }

    @Override
    public String toString() {
        return "RecorderConnection[" + recorderId + " by " + path + "]";
    }
}
