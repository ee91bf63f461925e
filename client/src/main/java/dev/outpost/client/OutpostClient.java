package dev.outpost.client;

import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.AlertRuleView;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.api.CameraImageView;
import dev.outpost.wire.api.NewAlertRule;
import dev.outpost.wire.api.GrantView;
import dev.outpost.wire.api.LoginRequest;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.PathSessionsView;
import dev.outpost.wire.api.PathUsed;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.UserView;
import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The cloud's HTTP API (docs/api.md) for programs and the {@code outpost} command: log in, list
 * recorders, make activation codes, and reach a recorder's own API through the relay with bodies
 * streamed both ways.
 *
 * <p>Thread-safe. After {@link #login} the client sends the new session token with every request;
 * {@link #logout} forgets it. Close the client when done: that ends any response still streaming.
 */
public final class OutpostClient implements AutoCloseable {
    /** JSON answers of the API are small; anything past this is refused rather than buffered. */
    static final int JSON_ANSWER_LIMIT = 16 * 1024 * 1024;
    private static final String USER_AGENT = "outpost-client/0.1";

    private final URI cloud;
    private final CloudTrust trust;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration relayTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private volatile Optional<String> token;

    private OutpostClient(Builder builder) {
        this.cloud = builder.cloud;
        this.trust = builder.trust;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.relayTimeout = builder.relayTimeout;
        this.token = builder.token;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.http = HttpClient.newBuilder()
                .version(builder.http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .sslContext(trust.sslContext())
                .connectTimeout(connectTimeout)
                // never: a redirect would carry the token to wherever it points
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Starts a client for the cloud at {@code cloud} ({@code https://host:8443}; a path, if any, is
     * the prefix under which the cloud's API is served).
     */
    public static Builder builder(URI cloud) {
        return new Builder(cloud);
    }

    /** A client that continues a saved login. */
    public static OutpostClient resume(Session session) {
        return builder(session.cloud()).trust(session.trust()).token(session.token()).build();
    }

    public URI cloud() {
        return cloud;
    }

    public CloudTrust trust() {
        return trust;
    }

    /** The session token in use, once logged in. */
    public Optional<String> token() {
        return token;
    }

    /**
     * {@code POST /api/login}; on success this client uses the new session.
     *
     * @throws OutpostException 401 {@code bad-login}, 429 {@code slow-down} with a retry-after
     */
    public LoginResponse login(String email, String password) {
        LoginResponse answer = callJson("POST", "api/login", Optional.of(new LoginRequest(email, password)),
                LoginResponse.class, false);
        if (answer.token() == null || answer.token().isBlank()) {
            throw OutpostException.badAnswer("POST", api("api/login"), 200, "a login answer with a token");
        }
        token = Optional.of(answer.token());
        return answer;
    }

    /** {@code POST /api/logout}: ends the session on the cloud, and this client forgets the token. */
    public void logout() {
        call("POST", "api/logout", BodyPublishers.noBody());
        token = Optional.empty();
    }

    /** {@code GET /api/me}: who this session belongs to. */
    public UserView me() {
        return callJson("GET", "api/me", Optional.empty(), UserView.class, true);
    }

    /** {@code GET /api/recorders}: the recorders of the user's organization. */
    public List<RecorderView> recorders() {
        return List.of(callJson("GET", "api/recorders", Optional.empty(), RecorderView[].class, true));
    }

    /**
     * {@code GET /api/recorders/{id}}.
     *
     * @throws OutpostException 404 if there is no such recorder in the user's organization
     */
    public RecorderView recorder(String id) {
        return callJson("GET", "api/recorders/" + segment(id), Optional.empty(), RecorderView.class, true);
    }

    /** {@code POST /api/activation-codes} (admins and installers): a single-use code for a new recorder. */
    public ActivationCodeView createActivationCode(String recorderName) {
        return callJson("POST", "api/activation-codes", Optional.of(new NewActivationCode(recorderName)),
                ActivationCodeView.class, true);
    }

    /** {@code POST /api/recorders/{id}/revoke} (admins and installers): the recorder's link closes for good. */
    public void revoke(String recorderId) {
        call("POST", "api/recorders/" + segment(recorderId) + "/revoke", BodyPublishers.noBody());
    }

    /** {@code POST /api/recorders/{id}/grant}: a grant to reach the recorder without the relay. */
    public GrantView grant(String recorderId) {
        return callJson("POST", "api/recorders/" + segment(recorderId) + "/grant", Optional.empty(),
                GrantView.class, true);
    }

    /**
     * {@code POST /api/recorders/{id}/connect}: a grant and the paths to try to reach the recorder from where
     * this client stands, best first (docs/paths.md).
     */
    public ConnectView connect(String recorderId) {
        return callJson("POST", "api/recorders/" + segment(recorderId) + "/connect", Optional.empty(),
                ConnectView.class, true);
    }

    /** {@code POST /api/recorders/{id}/sessions}: tells the cloud which path a stream of the recorder now uses. */
    public void reportPath(String recorderId, String kind) {
        call("POST", "api/recorders/" + segment(recorderId) + "/sessions",
                BodyPublishers.ofByteArray(Json.write(new PathUsed(kind))));
    }

    /** {@code GET /api/recorders/{id}/sessions}: how many viewing sessions used each path, since the cloud started. */
    public PathSessionsView pathSessions(String recorderId) {
        return callJson("GET", "api/recorders/" + segment(recorderId) + "/sessions", Optional.empty(),
                PathSessionsView.class, true);
    }

    /** {@code GET /api/recorders/{id}/network} (admins and installers): the recorder's Remote Network Settings. */
    public RemoteNetworkSettings networkSettings(String recorderId) {
        return callJson("GET", "api/recorders/" + segment(recorderId) + "/network", Optional.empty(),
                RemoteNetworkSettings.class, true);
    }

    /**
     * {@code PUT /api/recorders/{id}/network} (admins and installers): saves the recorder's Remote Network
     * Settings and returns them as saved.
     *
     * @throws OutpostException 400 {@code bad-network-settings}, its message naming the field
     */
    public RemoteNetworkSettings saveNetworkSettings(String recorderId, RemoteNetworkSettings settings) {
        return callJson("PUT", "api/recorders/" + segment(recorderId) + "/network", Optional.of(settings),
                RemoteNetworkSettings.class, true);
    }

    /**
     * {@code GET /api/alerts}: the health alerts of the user's organization, newest first.
     *
     * @param recorderId only this recorder's; empty for all
     * @param since      only those that happened at or after this instant; empty for all
     * @param limit      at most this many (1 to 1000)
     */
    public List<AlertView> alerts(Optional<String> recorderId, Optional<java.time.Instant> since, int limit) {
        StringBuilder query = new StringBuilder("api/alerts?limit=").append(limit);
        recorderId.ifPresent(id -> query.append("&recorder=").append(
                java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        since.ifPresent(at -> query.append("&since=").append(at));
        return List.of(callJson("GET", query.toString(), Optional.empty(), AlertView[].class, true));
    }

    /** {@code GET /api/alerts/{id}/image.jpg}: the JPEG of an alert that has one. */
    public byte[] alertImage(String alertId) {
        URI uri = api("api/alerts/" + segment(alertId) + "/image.jpg");
        HttpRequest request = authorized(HttpRequest.newBuilder(uri), true).timeout(requestTimeout).GET().build();
        return readAnswer(uri, "GET", send(request));
    }

    /** {@code GET /api/images}: day/night images of the organization's cameras, newest first. */
    public List<CameraImageView> cameraImages(Optional<String> recorderId, Optional<String> cameraId, int limit) {
        StringBuilder query = new StringBuilder("api/images?limit=").append(limit);
        recorderId.ifPresent(id -> query.append("&recorder=").append(
                java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        cameraId.ifPresent(id -> query.append("&camera=").append(
                java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        return List.of(callJson("GET", query.toString(), Optional.empty(), CameraImageView[].class, true));
    }

    /** {@code GET /api/images/{id}.jpg}: the JPEG of a day/night image. */
    public byte[] cameraImage(String imageId) {
        URI uri = api("api/images/" + segment(imageId) + ".jpg");
        HttpRequest request = authorized(HttpRequest.newBuilder(uri), true).timeout(requestTimeout).GET().build();
        return readAnswer(uri, "GET", send(request));
    }

    /** {@code GET /api/recorders/{id}/backups}: the recorder's config backups the cloud stored, newest first. */
    public List<dev.outpost.wire.api.ConfigBackupView> backups(String recorderId) {
        return List.of(callJson("GET", "api/recorders/" + segment(recorderId) + "/backups", Optional.empty(),
                dev.outpost.wire.api.ConfigBackupView[].class, true));
    }

    /** {@code POST /api/recorders/{id}/backups} (admins, installers): a backup now; it arrives through the outbox. */
    public void requestBackup(String recorderId) {
        callJson("POST", "api/recorders/" + segment(recorderId) + "/backups", Optional.empty(), java.util.Map.class,
                true);
    }

    /**
     * {@code POST /api/recorders/{id}/restore} (admins, installers): a stored backup replaces the recorder's cameras.
     *
     * @return how many cameras it now runs
     */
    public int restore(String recorderId, String backupId) {
        java.util.Map<?, ?> answer = callJson("POST", "api/recorders/" + segment(recorderId) + "/restore",
                Optional.of(new dev.outpost.wire.api.RestoreRequest(backupId)), java.util.Map.class, true);
        return ((Number) answer.get("cameras")).intValue();
    }

    /**
     * {@code POST /api/recorders/{id}/exports} (admins, installers): asks the recorder for a clip; it then arrives in
     * the clip library ({@link #clips}).
     */
    public dev.outpost.wire.api.ExportView exportClip(String recorderId, dev.outpost.wire.api.ExportRequest request) {
        return callJson("POST", "api/recorders/" + segment(recorderId) + "/exports", Optional.of(request),
                dev.outpost.wire.api.ExportView.class, true);
    }

    /** {@code GET /api/recorders/{id}/exports/{exportId}}: how an export stands, asked of the recorder. */
    public dev.outpost.wire.api.ExportView exportStatus(String recorderId, String exportId) {
        return callJson("GET", "api/recorders/" + segment(recorderId) + "/exports/" + segment(exportId),
                Optional.empty(), dev.outpost.wire.api.ExportView.class, true);
    }

    /** {@code GET /api/clips}: the organization's clips, newest first, of one recorder or camera if given. */
    public List<dev.outpost.wire.api.ClipView> clips(Optional<String> recorderId, Optional<String> cameraId,
                                                     int limit) {
        StringBuilder query = new StringBuilder("api/clips?limit=").append(limit);
        recorderId.ifPresent(id -> query.append("&recorder=").append(
                java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        cameraId.ifPresent(id -> query.append("&camera=").append(
                java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        return List.of(callJson("GET", query.toString(), Optional.empty(), dev.outpost.wire.api.ClipView[].class,
                true));
    }

    /** {@code GET /api/clips/{id}}. */
    public dev.outpost.wire.api.ClipView clip(String clipId) {
        return callJson("GET", "api/clips/" + segment(clipId), Optional.empty(), dev.outpost.wire.api.ClipView.class,
                true);
    }

    /** {@code GET /api/clips/{id}/video.mp4}: the clip's MP4, streamed into {@code file}; returns its length. */
    public long downloadClip(String clipId, java.nio.file.Path file) {
        URI uri = api("api/clips/" + segment(clipId) + "/video.mp4?download=1");
        HttpRequest request = authorized(HttpRequest.newBuilder(uri), true).GET().build();
        HttpResponse<InputStream> response = send(request);
        if (response.statusCode() != 200) {
            readAnswer(uri, "GET", response); // throws with the cloud's reason
        }
        try (InputStream in = response.body()) {
            return java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw ConnectionFailures.explain(uri, e, trust, connectTimeout);
        }
    }

    /** {@code DELETE /api/clips/{id}} (admins, installers). */
    public void deleteClip(String clipId) {
        call("DELETE", "api/clips/" + segment(clipId), BodyPublishers.noBody());
    }

    /** {@code POST /api/clips/{id}/shares} (admins, installers): a link that plays the clip without login. */
    public dev.outpost.wire.api.ClipShareView shareClip(String clipId, int minutes) {
        return callJson("POST", "api/clips/" + segment(clipId) + "/shares",
                Optional.of(new dev.outpost.wire.api.ClipShareRequest(minutes)), dev.outpost.wire.api.ClipShareView.class,
                true);
    }

    /** {@code GET /api/clips/usage}: the storage the organization's clips take. */
    public dev.outpost.wire.api.ClipUsageView clipUsage() {
        return callJson("GET", "api/clips/usage", Optional.empty(), dev.outpost.wire.api.ClipUsageView.class, true);
    }

    /** {@code GET /api/alert-rules}: who in the organization gets which alerts by email. */
    public List<AlertRuleView> alertRules() {
        return List.of(callJson("GET", "api/alert-rules", Optional.empty(), AlertRuleView[].class, true));
    }

    /** {@code POST /api/alert-rules} (admins). */
    public AlertRuleView addAlertRule(NewAlertRule rule) {
        return callJson("POST", "api/alert-rules", Optional.of(rule), AlertRuleView.class, true);
    }

    /** {@code DELETE /api/alert-rules/{id}} (admins). */
    public void removeAlertRule(String ruleId) {
        call("DELETE", "api/alert-rules/" + segment(ruleId), BodyPublishers.noBody());
    }

    /**
     * {@code GET /relay/{recorderId}/{path}}: returns as soon as the headers are in, with the body
     * still streaming. Any status is returned; {@link RelayResponse#requireSuccess()} turns errors
     * into an {@link OutpostException}. Close the response when done.
     *
     * @param path the recorder's path, with or without leading slash, with any query ({@code api/stream?rate=1000})
     */
    public RelayResponse relayGet(String recorderId, String path) {
        return relay(recorderId, "GET", path, Optional.empty(), BodyPublishers.noBody(), Optional.of(relayTimeout));
    }

    /**
     * Sends a request with a body through the relay, streaming it (chunked) as it is read from
     * {@code body}; the answer streams back like {@link #relayGet}'s.
     *
     * <p>The JDK's HTTP/1.1 client reads the answer only once the whole body is sent, so this returns
     * after the upload ends, however early the recorder answers. Hence no deadline here (an upload
     * may take hours); the cloud's 504 bounds the wait for the recorder's answer. It also means this
     * is not full duplex: a recorder path that answers while it reads (such as {@code api/echo})
     * stalls once its unread answer fills the relay's buffers (a few MB, measured through the real
     * cloud: 5 MB echoed, 200 MB stalled), because the relay's backpressure then stops the upload.
     */
    public RelayResponse relaySend(String recorderId, String method, String path, String contentType, InputStream body) {
        Objects.requireNonNull(body, "body");
        return relay(recorderId, method.toUpperCase(Locale.ROOT), path, Optional.of(contentType),
                BodyPublishers.ofInputStream(() -> body), Optional.empty());
    }

    /** Ends any response still streaming and releases the connections. */
    @Override
    public void close() {
        // shutdownNow, not close: close waits for open responses, and a live stream never ends
        http.shutdownNow();
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OutpostClient[" + cloud + ", " + trust + (token.isPresent() ? ", logged in" : "") + "]";
    }

    private RelayResponse relay(String recorderId, String method, String path, Optional<String> contentType,
                                BodyPublisher body, Optional<Duration> headersDeadline) {
        URI uri = relayUri(recorderId, path);
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(uri), true).method(method, body);
        // the JDK cancels this deadline when the headers arrive: bodies stream on without one
        headersDeadline.ifPresent(request::timeout);
        contentType.ifPresent(type -> request.header("Content-Type", type));
        HttpResponse<InputStream> response = send(request.build());
        return new RelayResponse(method, uri, response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                response.statusCode(), response.headers(), response.body());
    }

    private URI relayUri(String recorderId, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        String text = cloud + "relay/" + segment(recorderId) + "/" + relative;
        try {
            URI uri = new URI(text);
            if (uri.getRawPath().contains("/../") || uri.getRawPath().endsWith("/..")) {
                throw new IllegalArgumentException("recorder path must not contain '..': " + path);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid recorder path (encode spaces and the like as %20): "
                    + path, e);
        }
    }

    private <T> T callJson(String method, String path, Optional<Object> body, Class<T> type, boolean authorized) {
        URI uri = api(path);
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(uri), authorized)
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (body.isPresent()) {
            request.method(method, BodyPublishers.ofByteArray(Json.write(body.get())))
                    .header("Content-Type", "application/json");
        } else {
            request.method(method, BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response = send(request.build());
        byte[] answer = readAnswer(uri, method, response);
        T value;
        try {
            value = Json.read(answer, type);
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null) {
            throw OutpostException.badAnswer(method, uri, response.statusCode(), "a " + typeName(type));
        }
        return value;
    }

    private void call(String method, String path, BodyPublisher body) {
        URI uri = api(path);
        HttpRequest request = authorized(HttpRequest.newBuilder(uri), true)
                .timeout(requestTimeout)
                .method(method, body)
                .build();
        readAnswer(uri, method, send(request));
    }

    /** The body of a 2xx answer, bounded; any other status becomes an OutpostException. */
    private byte[] readAnswer(URI uri, String method, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (status < 200 || status >= 300) {
                byte[] start = in.readNBytes(RelayResponse.ERROR_BODY_LIMIT);
                throw OutpostException.fromAnswer(method, uri, status, response.headers(), start);
            }
            byte[] answer = in.readNBytes(JSON_ANSWER_LIMIT + 1);
            if (answer.length > JSON_ANSWER_LIMIT) {
                throw OutpostException.badAnswer(method, uri, status,
                        "an API answer of at most " + JSON_ANSWER_LIMIT / (1024 * 1024) + " MiB");
            }
            return answer;
        } catch (IOException e) {
            throw ConnectionFailures.explain(uri, e, trust, connectTimeout);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ConnectionFailures.explain(request.uri(), e, trust, connectTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException(
                    "interrupted while waiting for " + request.method() + " " + request.uri());
            cancelled.initCause(e);
            throw cancelled;
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request, boolean needsSession) {
        request.header("User-Agent", USER_AGENT);
        if (needsSession) {
            String current = token.orElseThrow(() -> new IllegalStateException(
                    "not logged in: call login() first, or build the client with a saved token"));
            request.header("Authorization", "Bearer " + current);
        }
        return request;
    }

    private URI api(String path) {
        return cloud.resolve(path);
    }

    private static String typeName(Class<?> type) {
        return type.isArray() ? "list of " + type.getComponentType().getSimpleName() : type.getSimpleName();
    }

    /** RFC 3986 section 3.3: a path segment, percent-encoding all but unreserved characters. */
    static String segment(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("recorder id must not be empty");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        String encoded = out.toString();
        if (encoded.equals(".") || encoded.equals("..")) {
            throw new IllegalArgumentException("not a recorder id: " + value);
        }
        return encoded;
    }

    /** Settings of a new client; defaults suit a person at a terminal. */
    public static final class Builder {
        private final URI cloud;
        private CloudTrust trust = CloudTrust.platform();
        private Optional<String> token = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration relayTimeout = Duration.ofSeconds(60);
        private boolean http2;

        private Builder(URI cloud) {
            this.cloud = baseOf(cloud);
        }

        /** Platform certificate authorities by default. */
        /**
         * Whether to speak HTTP/2 to the cloud (every request a stream of one connection) instead of HTTP/1.1 (a
         * connection per request in flight, the default). HTTP/1.1 is the default because the JDK's HTTP/2 client
         * grants flow-control credit only as the application reads: a relayed stream that the caller stops reading
         * keeps its window (16 MiB by default) filled and, with enough of them, holds up the whole connection, while
         * over HTTP/1.1 a stalled stream holds up only its own connection.
         */
        public Builder http2(boolean http2) {
            this.http2 = http2;
            return this;
        }

        public Builder trust(CloudTrust trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** A session token from an earlier login. */
        public Builder token(String token) {
            this.token = Optional.of(token);
            return this;
        }

        /** How long to wait for the TCP connection (10 s by default). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        /** How long an API call may take until its answer's headers arrive (30 s by default). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout);
            return this;
        }

        /**
         * How long a relayed GET may wait for the recorder's headers (60 s by default: longer than the
         * cloud's own 504 deadline, so the cloud's clearer answer comes first). Bodies have no
         * deadline; live streams never end.
         */
        public Builder relayTimeout(Duration timeout) {
            this.relayTimeout = positive(timeout);
            return this;
        }

        public OutpostClient build() {
            return new OutpostClient(this);
        }

        private static Duration positive(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            return timeout;
        }

        private static URI baseOf(URI cloud) {
            String scheme = cloud.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    || cloud.getHost() == null) {
                throw new IllegalArgumentException("cloud URL must look like https://host:8443, not " + cloud);
            }
            if (cloud.getRawQuery() != null || cloud.getRawFragment() != null) {
                throw new IllegalArgumentException("cloud URL must not have a query or fragment: " + cloud);
            }
            String path = cloud.getRawPath() == null ? "" : cloud.getRawPath();
            return cloud.resolve(path.endsWith("/") ? path : path + "/");
        }
    }
}
