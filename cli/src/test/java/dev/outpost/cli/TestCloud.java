package dev.outpost.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.outpost.client.Session;
import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.LoginRequest;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.api.UserView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.CertifiedKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for the cloud in the client commands' tests (a copy of the client module's, which has no
 * test jar): the JDK's HTTPS server on 127.0.0.1 with a self-signed
 * certificate, serving the few endpoints of docs/api.md the client needs, and a relay whose
 * "recorder" streams endlessly or echoes.
 */
final class TestCloud implements AutoCloseable {
    static final String EMAIL = "ada@example.com";
    static final String PASSWORD = "correct horse";
    static final String TOKEN = "t0k3n";
    static final UserView USER = new UserView("u1", EMAIL, "admin", "o1", "Acme");
    static final RecorderView FRONT_DOOR = new RecorderView("r-1", "front-door", "o1", true,
            Instant.parse("2026-11-23T18:00:00Z"), "203.0.113.7:50123", "h2", false, "outpost 0.1.0", false);
    static final RecorderView GARAGE = new RecorderView("r-2", "garage", "o1", false,
            Instant.parse("2026-11-22T08:30:00Z"), "198.51.100.2:40000", "websocket", true, "outpost 0.1.0", false);

    static final dev.outpost.wire.api.AlertView GATE_OFFLINE = new dev.outpost.wire.api.AlertView("a1", "r-1",
            "front-door", "camera-offline", "gate", "Camera gate is offline", Instant.parse("2026-11-23T19:30:00Z"),
            Instant.parse("2026-11-23T19:30:01Z"), 0, "/api/alerts/a1/image.jpg");
    static final dev.outpost.wire.api.AlertView LINK_BACK = new dev.outpost.wire.api.AlertView("a2", "r-2", "garage",
            "link-restored", "", "The link to the cloud is back after an outage of 3 min",
            Instant.parse("2026-11-23T18:00:00Z"), Instant.parse("2026-11-23T18:00:00Z"), 180, "");
    static final dev.outpost.wire.api.ClipView GATE_CLIP = new dev.outpost.wire.api.ClipView("c1", "r-1", "gate",
            Instant.parse("2026-11-23T19:00:00Z"), Instant.parse("2026-11-23T19:02:05Z"), 125_000, 1920, 1080,
            31_250_000, "ab".repeat(32), Instant.parse("2026-11-23T19:05:00Z"), Instant.parse("2026-11-23T19:06:00Z"));
    /** Query strings of clip list requests, in order. */
    final java.util.Queue<String> clipQueries = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Query strings of alert requests, in order. */
    final java.util.Queue<String> alertQueries = new java.util.concurrent.ConcurrentLinkedQueue<>();

    final CertifiedKey certificate;
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Authorization headers seen, by path. */
    final Map<String, String> authorizations = new ConcurrentHashMap<>();
    /** Bytes of the upload as the echoing recorder read them, one entry per read. */
    final BlockingQueue<byte[]> uploadReads = new LinkedBlockingQueue<>();
    /** Counted down when the endless stream's writer finds the client gone. */
    final CountDownLatch streamAbandoned = new CountDownLatch(1);
    volatile boolean loggedOut;

    TestCloud() throws Exception {
        this(List.of("cloud.test", "127.0.0.1"));
    }

    /** A cloud whose certificate is issued for {@code names} only. */
    TestCloud(List<String> names) throws Exception {
        certificate = CertifiedKey.selfSigned("outpost test cloud", names, Duration.ofDays(1));
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificate)));
        server.setExecutor(executor);
        server.createContext("/api/login", this::login);
        server.createContext("/api/logout", exchange -> {
            if (authorized(exchange)) {
                loggedOut = true;
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            }
        });
        server.createContext("/api/me", exchange -> {
            if (authorized(exchange)) {
                json(exchange, 200, USER);
            }
        });
        server.createContext("/api/recorders", this::recorders);
        server.createContext("/api/alerts", exchange -> {
            if (authorized(exchange)) {
                alertQueries.add(exchange.getRequestURI().getRawQuery());
                json(exchange, 200, List.of(GATE_OFFLINE, LINK_BACK));
            }
        });
        server.createContext("/api/clips", exchange -> {
            if (authorized(exchange)) {
                clipQueries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
                json(exchange, 200, List.of(GATE_CLIP));
            }
        });
        server.createContext("/api/activation-codes", this::activationCodes);
        server.createContext("/relay/", this::relay);
        server.start();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    String fingerprint() {
        return Fingerprint.of(certificate.certificate());
    }

    /** What a successful 'outpost login' to this cloud leaves behind. */
    Session session() {
        return new Session(URI.create(uri() + "/"), TOKEN, Optional.of(fingerprint()), EMAIL,
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void login(HttpExchange exchange) throws IOException {
        LoginRequest request = Json.read(exchange.getRequestBody().readAllBytes(), LoginRequest.class);
        if (request.email().equals("slow@example.com")) {
            exchange.getResponseHeaders().add("Retry-After", "30");
            json(exchange, 429, new ApiError("slow-down", "too many failed logins"));
        } else if (request.email().equals(EMAIL) && request.password().equals(PASSWORD)) {
            json(exchange, 200, new LoginResponse(TOKEN, Instant.parse("2026-12-01T00:00:00Z"), USER));
        } else {
            json(exchange, 401, new ApiError("bad-login", "wrong email or password"));
        }
    }

    private void recorders(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/recorders")) {
            json(exchange, 200, List.of(FRONT_DOOR, GARAGE));
        } else if (path.equals("/api/recorders/r-1")) {
            json(exchange, 200, FRONT_DOOR);
        } else {
            json(exchange, 404, new ApiError("not-found", "no such recorder"));
        }
    }

    private void activationCodes(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        NewActivationCode request = Json.read(exchange.getRequestBody().readAllBytes(), NewActivationCode.class);
        json(exchange, 201, new ActivationCodeView("7KQ2M-XR4TD-9HWCA-PZ3NE", request.name(),
                Instant.now().plus(Duration.ofHours(24))));
    }

    /** /relay/{id}/{path}: recorder r-1 is online and serves api/info, api/stream, api/echo, api/usage. */
    private void relay(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String rest = exchange.getRequestURI().getRawPath().substring("/relay/".length());
        String recorder = rest.substring(0, Math.max(0, rest.indexOf('/')));
        String path = rest.substring(rest.indexOf('/'));
        if (recorder.equals("r-2")) {
            json(exchange, 502, new ApiError("recorder-offline", "recorder garage is not connected"));
        } else if (!recorder.equals("r-1")) {
            json(exchange, 404, new ApiError("not-found", "no such recorder"));
        } else if (path.equals("/api/info")) {
            json(exchange, 200, Map.of("recorderId", "r-1", "name", "front-door",
                    "query", String.valueOf(exchange.getRequestURI().getRawQuery())));
        } else if (path.equals("/api/stream")) {
            endlessStream(exchange);
        } else if (path.equals("/api/usage")) {
            json(exchange, 200, new dev.outpost.wire.api.DataUsageView(java.util.List.of(
                    new dev.outpost.wire.api.DataUsageView.Day("2026-11-23", Map.of("baseline", 900_000L,
                            "day-night-images", 600_000L)),
                    new dev.outpost.wire.api.DataUsageView.Day("2026-11-22", Map.of("baseline", 1_100_000L,
                            "alerts", 3_000L, "alert-images", 300_000L))),
                    Map.of("baseline", 2_000_000L, "day-night-images", 600_000L, "alerts", 3_000L,
                            "alert-images", 300_000L)));
        } else if (path.equals("/api/echo")) {
            echo(exchange);
        } else {
            json(exchange, 404, new ApiError("not-found", "the recorder has no " + path));
        }
    }

    private void endlessStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0); // 0: chunked, no end announced
        byte[] chunk = new byte[4096];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException gone) {
            streamAbandoned.countDown();
        }
    }

    private void echo(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type",
                exchange.getRequestHeaders().getFirst("Content-Type"));
        exchange.sendResponseHeaders(200, 0);
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                uploadReads.add(java.util.Arrays.copyOf(buffer, n));
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.put(exchange.getRequestURI().getPath(), String.valueOf(authorization));
        if (("Bearer " + TOKEN).equals(authorization) && !loggedOut) {
            return true;
        }
        json(exchange, 401, new ApiError("unauthorized", "log in first"));
        return false;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static SSLContext serverContext(CertifiedKey certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("cloud", certificate.privateKey(), password, new Certificate[] {certificate.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** A loopback port nobody listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
