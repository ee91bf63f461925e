package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.system.BadInputSockets.Answer;
import dev.outpost.wire.link.LinkProtocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's one public port against what the Internet sends it: oversized heads, over-long request
 * lines, bytes that are not TLS, connections that never speak, requests without a session, password
 * guessing, oversized and malformed API bodies. Each gets a clear answer or a closed connection, and
 * the cloud keeps serving everyone else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCloudPortTest {
    Site site;
    OutpostClient admin;
    Recorder recorder;
    HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        admin = site.admin();
        recorder = site.recorder("Gate");
        http = BadInputSockets.http(site.cloud());
    }

    @AfterAll
    void stop() {
        http.close();
        site.close();
    }

    /** After every test: the cloud still answers the API and relays to the recorder. */
    @AfterEach
    void theCloudStillServes() throws Exception {
        assertThat(admin.me().email()).isEqualTo(Site.ADMIN);
        try (RelayResponse relayed = admin.relayGet(recorder.identity().recorderId(), "/api/info")) {
            assertThat(relayed.status()).isEqualTo(200);
            relayed.body().readAllBytes();
        }
    }

    private static String get(String target, String extraHeaders) {
        return "GET " + target + " HTTP/1.1\r\nHost: cloud\r\n" + extraHeaders + "\r\n";
    }

    private HttpResponse<String> postJson(String path, Optional<String> token, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(site.cloud().localUrl().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOversizedHeaderIsAnswered431() throws Exception {
        Answer answer = BadInputSockets.exchange(site.cloud(), get("/api/me", "X-Big: " + "a".repeat(64 * 1024) + "\r\n"));

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.body()).contains("\"error\"");
    }

    @Test
    void manyHeadersAddingUpPastTheLimitAreAnswered431() throws Exception {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            headers.append("X-H").append(i).append(": value\r\n");
        }
        Answer answer = BadInputSockets.exchange(site.cloud(), get("/", headers.toString()));

        assertThat(answer.status()).isEqualTo(431);
    }

    @Test
    void anOverlongRequestLineIsAnswered414() throws Exception {
        Answer answer = BadInputSockets.exchange(site.cloud(), get("/" + "a".repeat(10_000), ""));

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.body()).contains("\"error\"");
    }

    @Test
    void aMalformedRequestLineIsAnswered400() throws Exception {
        Answer answer = BadInputSockets.exchange(site.cloud(), "HELLO\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
    }

    @Test
    void bytesThatAreNotTlsAreClosedOn() throws Exception {
        byte[][] garbage = {
            "GET / HTTP/1.1\r\nHost: cloud\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}, // a TLS handshake record with nonsense inside
            Streams.generated(4096, 99).readAllBytes(),
        };
        for (byte[] bytes : garbage) {
            try (Socket socket = BadInputSockets.plain(site.cloud())) {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();

                assertThat(BadInputSockets.closedByPeerWithin(socket, Duration.ofSeconds(5)))
                        .as("closed after %d bytes of garbage", bytes.length).isTrue();
            }
        }
    }

    @Test
    void connectionsThatNeverSpeakNeitherBlockOthersNorStay() throws Exception {
        List<Socket> silentTcp = new ArrayList<>();
        List<Socket> stalledTls = new ArrayList<>();
        List<SSLSocket> silentHttp = new ArrayList<>();
        List<SSLSocket> silentLinks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long opened = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                silentTcp.add(BadInputSockets.plain(site.cloud()));
            }
            for (int i = 0; i < 5; i++) {
                // A TLS record head that announces 16 KiB of ClientHello, then nothing more.
                Socket socket = BadInputSockets.plain(site.cloud());
                socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01});
                stalledTls.add(socket);
            }
            List<Future<SSLSocket>> http = new ArrayList<>();
            List<Future<SSLSocket>> links = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                http.add(threads.submit(() -> BadInputSockets.tls(site.cloud(), "http/1.1")));
            }
            for (int i = 0; i < 10; i++) {
                links.add(threads.submit(() -> BadInputSockets.tls(site.cloud(), LinkProtocol.ALPN)));
            }
            for (Future<SSLSocket> handshake : http) {
                silentHttp.add(handshake.get());
            }
            for (Future<SSLSocket> handshake : links) {
                silentLinks.add(handshake.get());
            }
            assertThat(silentLinks).allSatisfy(s -> assertThat(s.getApplicationProtocol()).isEqualTo(LinkProtocol.ALPN));
            // Half of the silent links send the start of a hello: the magic, a length, and no more.
            for (int i = 0; i < silentLinks.size() / 2; i++) {
                silentLinks.get(i).getOutputStream().write(new byte[] {'O', 'P', 'L', '1', 0, 100, '{'});
                silentLinks.get(i).getOutputStream().flush();
            }

            // Meanwhile others are served promptly: a login (Argon2id included) and a relayed request.
            long start = System.nanoTime();
            try (OutpostClient someone = site.client(Site.ADMIN, Site.PASSWORD);
                 RelayResponse relayed = someone.relayGet(recorder.identity().recorderId(), "/api/info")) {
                assertThat(relayed.status()).isEqualTo(200);
                relayed.body().readAllBytes();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            // The cloud drops connections that do not finish TLS within its 10 s handshake timeout,
            // and links that do not finish their handshake within 15 s (docs/link.md).
            List<Future<Boolean>> tcpClosed = new ArrayList<>();
            for (Socket socket : silentTcp) {
                tcpClosed.add(threads.submit(() -> BadInputSockets.closedByPeerWithin(socket, left(opened, 15))));
            }
            for (Socket socket : stalledTls) {
                tcpClosed.add(threads.submit(() -> BadInputSockets.closedByPeerWithin(socket, left(opened, 15))));
            }
            List<Future<Boolean>> linksClosed = new ArrayList<>();
            for (SSLSocket socket : silentLinks) {
                linksClosed.add(threads.submit(() -> BadInputSockets.closedByPeerWithin(socket, left(opened, 20))));
            }
            assertThat(countOpen(tcpClosed)).as("connections without TLS still open 15 s after they were opened").isZero();
            assertThat(countOpen(linksClosed)).as("links without a hello still open 20 s after they were opened").isZero();
            // Idle HTTP connections are closed after 60 s, too long to wait for here; they are still
            // open now, and the cloud served the others regardless.
        } finally {
            for (Socket socket : silentTcp) {
                socket.close();
            }
            for (Socket socket : stalledTls) {
                socket.close();
            }
            for (SSLSocket socket : silentHttp) {
                socket.close();
            }
            for (SSLSocket socket : silentLinks) {
                socket.close();
            }
        }
    }

    private static Duration left(long openedNanos, int seconds) {
        return Duration.ofSeconds(seconds).minus(Duration.ofNanos(System.nanoTime() - openedNanos));
    }

    private static int countOpen(List<Future<Boolean>> closed) throws Exception {
        int open = 0;
        for (Future<Boolean> each : closed) {
            open += each.get() ? 0 : 1;
        }
        return open;
    }

    @Test
    void theRelayWithoutASessionIsAnswered401() throws Exception {
        String id = recorder.identity().recorderId();
        Answer none = BadInputSockets.exchange(site.cloud(), get("/relay/" + id + "/api/info", ""));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.body()).contains("log in");

        Answer forged = BadInputSockets.exchange(site.cloud(),
                get("/relay/" + id + "/api/info", "Authorization: Bearer forged-session-token\r\n"));
        assertThat(forged.status()).isEqualTo(401);

        Answer cookie = BadInputSockets.exchange(site.cloud(),
                get("/relay/" + id + "/api/info", "Cookie: outpost_session=forged\r\n"));
        assertThat(cookie.status()).isEqualTo(401);

        // Without a session, a recorder that does not exist gets the same 401: ids cannot be probed.
        Answer unknown = BadInputSockets.exchange(site.cloud(), get("/relay/rzzzzzzzzzzzzzzzz/api/info", ""));
        assertThat(unknown.status()).isEqualTo(401);
    }

    @Test
    void theApiWithoutASessionIsAnswered401() throws Exception {
        Answer answer = BadInputSockets.exchange(site.cloud(), get("/api/recorders", ""));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("\"unauthorized\"");
    }

    @Test
    void aSessionEndedByLogoutIsRefused() throws Exception {
        OutpostClient leaving = site.client(Site.ADMIN, Site.PASSWORD);
        String token = leaving.token().orElseThrow();
        leaving.logout();

        Answer api = BadInputSockets.exchange(site.cloud(), get("/api/me", "Authorization: Bearer " + token + "\r\n"));
        assertThat(api.status()).isEqualTo(401);
        Answer relay = BadInputSockets.exchange(site.cloud(),
                get("/relay/" + recorder.identity().recorderId() + "/api/info", "Cookie: outpost_session=" + token + "\r\n"));
        assertThat(relay.status()).isEqualTo(401);
    }

    @Test
    void theCloudIsNotAnOpenProxy() throws Exception {
        Answer connect = BadInputSockets.exchange(site.cloud(), "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertThat(connect.status()).isBetween(400, 499);

        Answer absolute = BadInputSockets.exchange(site.cloud(),
                get("http://example.com/", "Connection: close\r\n").replace("Host: cloud", "Host: example.com"));
        assertThat(absolute.status()).isBetween(400, 499);
    }

    @Test
    void repeatedWrongPasswordsAreSlowedDownWith429AndRetryAfter(@TempDir Path dir) throws Exception {
        // A cloud of its own: the throttle also counts failures by address, and every test here is 127.0.0.1.
        try (Site guarded = Site.start(dir);
             OutpostClient guesser = OutpostClient.builder(guarded.cloud().localUrl())
                     .trust(dev.outpost.client.CloudTrust.pinned(guarded.cloud().certificateFingerprint())).build()) {
            OutpostException last = null;
            for (int attempt = 1; attempt <= 10; attempt++) {
                last = catchThrowableOfType(OutpostException.class, () -> guesser.login(Site.ADMIN, "wrong password!"));
                if (last.status() == 429) {
                    break;
                }
                assertThat(last.status()).isEqualTo(401);
                assertThat(last.error().error()).isEqualTo("bad-login");
            }
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.error().error()).isEqualTo("slow-down");
            assertThat(last.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());
            assertThat(last.getMessage()).contains("wait").contains("try again");
            // While slowed down, even the right password waits: guessing gains nothing.
            OutpostException right = catchThrowableOfType(OutpostException.class,
                    () -> guesser.login(Site.ADMIN, Site.PASSWORD));
            assertThat(right.status()).isEqualTo(429);
        }
    }

    @Test
    void anApiBodyOver64KiBIsAnswered413WithoutReadingIt() throws Exception {
        // Declared too long: the cloud answers from the head alone, before any of the body is sent.
        try (SSLSocket socket = BadInputSockets.tls(site.cloud(), "http/1.1")) {
            socket.getOutputStream().write(("POST /api/login HTTP/1.1\r\nHost: cloud\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (64 * 1024 + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            Answer answer = BadInputSockets.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("too-large").contains("65536");
        }
    }

    @Test
    void aChunkedApiBodyGrowingPast64KiBIsAnswered413() throws Exception {
        try (SSLSocket socket = BadInputSockets.tls(site.cloud(), "http/1.1")) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /api/login HTTP/1.1\r\nHost: cloud\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 5; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Answer answer = BadInputSockets.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(413);
        }
    }

    /**
     * An ordinary client (java.net.http, like OutpostClient) sends a whole body before it reads the
     * answer. When the cloud refuses such a request early, the client must still get the refusal, not a
     * broken connection: the cloud has to read (and drop) the body before it closes (RFC 9112 section 9.6).
     */
    @Test
    void anEarlyRefusalOfAnUploadReachesAnOrdinaryClient() throws Exception {
        int size = 1024 * 1024;
        HttpResponse<String> tooLarge = postJson("/api/login", Optional.empty(), new byte[size]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        HttpRequest noSession = HttpRequest.newBuilder(site.cloud().localUrl()
                        .resolve("/relay/" + recorder.identity().recorderId() + "/api/echo"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Streams.generated(size, 1)))
                .build();
        assertThat(http.send(noSession, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        HttpRequest noRecorder = HttpRequest.newBuilder(site.cloud().localUrl().resolve("/relay/rzzzzzzzzzzzzzzzz/api/echo"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + admin.token().orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Streams.generated(size, 2)))
                .build();
        assertThat(http.send(noRecorder, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedJsonIsAnswered400NamingTheProblem() throws Exception {
        HttpResponse<String> truncated = postJson("/api/login", Optional.empty(),
                "{\"email\": \"admin@outpost.test\", \"password\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("\"bad-body\"").contains("LoginRequest").containsIgnoringCase("end-of-input");

        HttpResponse<String> notJson = postJson("/api/login", Optional.empty(), "email=a&password=b".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"bad-body\"").contains("LoginRequest");

        HttpResponse<String> empty = postJson("/api/login", Optional.empty(), new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("needs a JSON body");

        HttpResponse<String> missing = postJson("/api/login", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("email").contains("password");

        HttpResponse<String> wrongShape = postJson("/api/activation-codes", admin.token(),
                "{\"name\": {\"nested\": true}}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(wrongShape.body()).contains("\"bad-body\"").contains("NewActivationCode");
    }

    @Test
    void anUnknownApiPathIs404AndAWrongMethodIs405() throws Exception {
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/nothing"))
                .header("Authorization", "Bearer " + admin.token().orElseThrow()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/login"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void pathTraversalInWebAssetsFindsNothing() throws IOException {
        for (String path : new String[] {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                "//etc/passwd", "/web/../../pom.xml"}) {
            Answer answer = BadInputSockets.exchange(site.cloud(), get(path, "Connection: close\r\n"));
            assertThat(answer.status()).as(path).isIn(400, 404);
            assertThat(answer.body()).as(path).doesNotContain("root:");
        }
    }
}
