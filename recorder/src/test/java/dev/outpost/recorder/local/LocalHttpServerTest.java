package dev.outpost.recorder.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.api.RecorderApi;
import dev.outpost.recorder.api.TestGrants;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The local port end to end: a real socket, real HTTP clients. */
class LocalHttpServerTest {
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final LocalHttpServer server = start(LocalHttpConfig.defaults().withPort(0));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private LocalHttpServer start(LocalHttpConfig config) {
        try {
            return LocalHttpServer.start(config, api);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpRequest.Builder get(String pathAndQuery, String grant) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        return grant == null ? builder : builder.header("Authorization", "Bearer " + grant);
    }

    @Test
    void listensOnTheLoopbackByDefaultAndOnTheChosenPort() {
        assertThat(LocalHttpConfig.defaults().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(LocalHttpConfig.defaults().port()).isEqualTo(7080);
        assertThat(server.port()).isPositive();
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void infoWithAGoodGrant() throws Exception {
        for (int i = 0; i < 3; i++) { // on one kept-alive connection
            HttpResponse<byte[]> response = client.send(get("/api/info", grants.valid()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            RecorderInfo info = Json.read(response.body(), RecorderInfo.class);
            assertThat(info.recorderId()).isEqualTo(TestGrants.RECORDER);
            assertThat(info.user()).isEqualTo(TestGrants.USER);
        }
    }

    @Test
    void aClientThatOffersHttp2UpgradeIsServedHttp11() throws Exception {
        try (HttpClient defaults = HttpClient.newHttpClient()) { // sends Upgrade: h2c
            HttpResponse<byte[]> response = defaults.send(get("/api/info", grants.valid()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @ParameterizedTest
    @CsvSource({"missing, grant-missing", "forged, grant-bad-signature", "expired, grant-expired",
            "other-recorder, grant-wrong-recorder", "garbage, grant-malformed"})
    void refusesBadGrants(String presented, String word) throws Exception {
        String grant = switch (presented) {
            case "missing" -> null;
            case "forged" -> grants.forged();
            case "expired" -> grants.expired();
            case "other-recorder" -> grants.wrongRecorder();
            default -> "a.b.c";
        };
        HttpResponse<byte[]> response = client.send(get("/api/info", grant).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(Json.read(response.body(), ApiError.class).error()).isEqualTo(word);
    }

    @Test
    void notFoundWrongMethodAndBadParameters() throws Exception {
        HttpResponse<byte[]> notFound = client.send(get("/api/nope", grants.valid()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(Json.read(notFound.body(), ApiError.class).error()).isEqualTo("not-found");

        HttpResponse<byte[]> wrongMethod = client.send(get("/api/info", grants.valid())
                .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");

        HttpResponse<byte[]> bad = client.send(get("/api/stream?chunk=lots", grants.valid()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bad.statusCode()).isEqualTo(400);
        ApiError error = Json.read(bad.body(), ApiError.class);
        assertThat(error.error()).isEqualTo("bad-parameter");
        assertThat(error.message()).contains("chunk");
    }

    @Test
    void streamArrivesAtAboutTheAskedRateWithTheExpectedBytes() throws Exception {
        int rate = 200_000;
        int limit = 400_000;
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(
                get("/api/stream?rate=" + rate + "&chunk=4096&limit=" + limit, grants.valid()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(body).hasSize(limit);
        for (int i = 0; i < body.length; i++) {
            assertThat(body[i]).as("byte %d", i).isEqualTo((byte) (i % 251));
        }
        // The first chunk goes at once; the rest is paced. Never faster than asked, and not much slower.
        double measured = (limit - 4096) / seconds;
        assertThat(measured).isBetween(0.5 * rate, 1.05 * rate);
    }

    @Test
    void aClientThatStopsReadingHoldsTheStreamInsteadOfGrowingMemory() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), 64 * 1024)) {
            raw.send("GET /api/stream?rate=0&chunk=16384 HTTP/1.1\r\nHost: recorder\r\nAuthorization: Bearer "
                    + grants.valid() + "\r\n\r\n");
            RawHttp.Head head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("transfer-encoding", "chunked");
            byte[] first = raw.readChunked(100_000);
            assertPattern(first, 0);

            // Now the client reads nothing: the kernel buffers fill, the channel turns unwritable, the
            // stream waits. Unpaced, it would otherwise write gigabytes a second.
            await().atMost(Duration.ofSeconds(10)).until(() -> api.counters().backpressurePauses() > 0);
            long[] last = {api.counters().streamedBytes()};
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long now = api.counters().streamedBytes();
                boolean still = now == last[0];
                last[0] = now;
                return still;
            });
            long held = api.counters().streamedBytes();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> api.counters().streamedBytes() == held);
            // What is in flight: the socket buffers of both ends and the channel's high water mark.
            assertThat(held - first.length).isLessThan(32L * 1024 * 1024);

            // Reading again resumes the stream where it stopped, nothing lost or repeated.
            byte[] more = raw.readChunked(8 * 1024 * 1024);
            assertPattern(more, first.length);
            assertThat(api.counters().streamedBytes()).isGreaterThan(held);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> api.counters().openExchanges() == 0);
    }

    @Test
    void echoStreamsALargeBodyBackIntactWhileItIsStillBeingSent() throws Exception {
        byte[] body = new byte[32 * 1024 * 1024];
        new Random(42).nextBytes(body);
        try (RawHttp raw = new RawHttp(server.port(), 0)) {
            raw.send("POST /api/echo HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer "
                    + grants.valid() + "\r\n\r\n");
            // A full-duplex client: it sends and reads at once, as the relay does.
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = raw.socket.getOutputStream();
                    for (int offset = 0; offset < body.length; offset += 100_000) {
                        int n = Math.min(100_000, body.length - offset);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, offset, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            RawHttp.Head head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            byte[] echoed = raw.readChunked(Integer.MAX_VALUE);
            sender.join();
            assertThat(echoed.length).isEqualTo(body.length);
            assertThat(sha256(echoed)).isEqualTo(sha256(body));
        }
        assertThat(api.counters().echoedBytes()).isEqualTo(body.length);
    }

    @Test
    void echoWorksWithJavaNetHttp() throws Exception {
        // java.net.http reads the answer only once it has sent the whole body, so with a body larger
        // than the socket buffers it would wait on the recorder that waits on it: keep this one small.
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        HttpRequest request = get("/api/echo", grants.valid())
                .header("Content-Type", "application/x-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/x-test");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void oversizedRequestLinesAndHeadersAreRefusedByTheCodec() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), 0)) {
            raw.send("GET /api/info?" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: recorder\r\n\r\n");
            RawHttp.Head head = raw.readHead();
            assertThat(head.status()).isEqualTo(414); // as HTTP/1.0: the codec could not read the version
            byte[] json = raw.readBody(Integer.parseInt(head.headers().get("content-length")));
            assertThat(Json.read(json, ApiError.class).error()).isEqualTo("uri-too-long");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (RawHttp raw = new RawHttp(server.port(), 0)) {
            raw.send("GET /api/info HTTP/1.1\r\nHost: recorder\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n");
            RawHttp.Head head = raw.readHead();
            assertThat(head.status()).isEqualTo(431);
            assertThat(head.headers()).containsEntry("connection", "close");
            byte[] json = raw.readBody(Integer.parseInt(head.headers().get("content-length")));
            assertThat(Json.read(json, ApiError.class).error()).isEqualTo("headers-too-large");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionsPastTheLimitAreClosed() throws Exception {
        try (LocalHttpServer small = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0).withMaxConnections(1), api);
             RawHttp first = new RawHttp(small.port(), 0)) {
            first.send("GET /api/info HTTP/1.1\r\nHost: r\r\nAuthorization: Bearer " + grants.valid() + "\r\n\r\n");
            assertThat(first.readHead().status()).isEqualTo(200);
            try (RawHttp second = new RawHttp(small.port(), 0)) {
                assertThat(second.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void silentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (LocalHttpServer quick = LocalHttpServer.start(
                LocalHttpConfig.defaults().withPort(0).withIdleTimeout(Duration.ofMillis(300)), api);
             RawHttp raw = new RawHttp(quick.port(), 0)) {
            long start = System.nanoTime();
            assertThat(raw.closedByServer()).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    @Test
    void closeStopsListeningAndClosesConnections() throws Exception {
        LocalHttpServer other = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0), api);
        int port = other.port();
        try (RawHttp raw = new RawHttp(port, 0)) {
            raw.send("GET /api/stream?rate=1000 HTTP/1.1\r\nHost: r\r\nAuthorization: Bearer " + grants.valid() + "\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(200);
            other.close();
            raw.readChunked(Integer.MAX_VALUE); // ends at the close
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> new RawHttp(port, 0)).isInstanceOf(IOException.class);
        // The port is free again.
        LocalHttpServer.start(LocalHttpConfig.defaults().withPort(port), api).close();
    }

    @Test
    void aPortInUseIsAClearError() {
        assertThatThrownBy(() -> LocalHttpServer.start(LocalHttpConfig.defaults().withPort(server.port()), api))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
    }

    private static void assertPattern(byte[] bytes, long offset) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != (byte) ((offset + i) % 251)) {
                throw new AssertionError("byte " + (offset + i) + " is " + bytes[i]);
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
