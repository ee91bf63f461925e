package dev.outpost.recorder.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.recorder.api.RecorderApi;
import dev.outpost.recorder.api.TestGrants;
import dev.outpost.wire.json.Json;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web client on the recorder's local port: its files and the site description need no grant; the API does. */
class LocalWebAppTest {
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final LocalHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LocalWebAppTest() throws Exception {
        server = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0), api, group,
                new LocalWebSite(TestGrants.RECORDER, "Shop", URI.create("https://cloud.example.com:8443")));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private HttpResponse<String> send(String method, String path, String grant, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (grant != null) {
            request.header("Authorization", "Bearer " + grant);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void servesTheAppAndTheSiteWithoutAGrantOnOneConnectionWithTheApi() throws Exception {
        HttpResponse<String> page = send("GET", "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");

        HttpResponse<String> script = send("GET", "/api.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");

        HttpResponse<String> site = send("GET", LocalWebSite.PATH, null);
        assertThat(site.statusCode()).isEqualTo(200);
        assertThat(Json.read(site.body().getBytes(StandardCharsets.UTF_8), Map.class)).isEqualTo(Map.of(
                "recorderId", TestGrants.RECORDER, "recorderName", "Shop", "cloudUrl", "https://cloud.example.com:8443"));

        // The API on the same kept-alive connection still wants its grant.
        assertThat(send("GET", "/api/info", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/info", grants.valid()).statusCode()).isEqualTo(200);
    }

    @Test
    void headGivesTheLengthWithoutTheBodyAndUnknownFilesAreNotFound() throws Exception {
        HttpResponse<String> get = send("GET", "/app.js", null);
        HttpResponse<String> head = send("HEAD", "/app.js", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElseThrow())
                .isEqualTo(get.body().getBytes(StandardCharsets.UTF_8).length);

        assertThat(send("GET", "/nothing.js", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/../pom.xml", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/WEB-INF/x.class", null).statusCode()).isEqualTo(404);
        // Writing is never the app's: it goes to the API, which wants a grant.
        assertThat(send("POST", "/", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theCloudsPagesMayFetchWithAGrantCrossOriginAndNobodyElses() throws Exception {
        String cloud = "https://cloud.example.com:8443";
        HttpResponse<String> preflight = send("OPTIONS", "/api/cameras/sample-1/live.mp4?stream=sd", null,
                "Origin", cloud, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization", "Access-Control-Request-Private-Network", "true");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(cloud);
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("authorization");
        assertThat(preflight.headers().firstValue("access-control-allow-private-network")).hasValue("true");
        assertThat(preflight.headers().firstValue("access-control-allow-credentials")).isEmpty();

        HttpResponse<String> info = send("GET", "/api/info", grants.valid(), "Origin", cloud);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("access-control-allow-origin")).hasValue(cloud);
        // Without a grant the answer is still a refusal, readable by the page so it can fall back.
        assertThat(send("GET", "/api/info", null, "Origin", cloud).statusCode()).isEqualTo(401);

        // Another origin gets no CORS answer: its preflight goes to the API (which wants a grant), and no allowance.
        String stranger = "https://evil.example";
        HttpResponse<String> refused = send("OPTIONS", "/api/info", null, "Origin", stranger,
                "Access-Control-Request-Method", "GET");
        assertThat(refused.statusCode()).isNotEqualTo(204);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(send("GET", "/api/info", grants.valid(), "Origin", stranger).headers()
                .firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void theOriginOfACloudAddressLeavesOutTheSchemesOwnPort() {
        assertThat(LocalCors.originOf(URI.create("https://Cloud.Example.com:443/"))).isEqualTo("https://cloud.example.com");
        assertThat(LocalCors.originOf(URI.create("https://127.0.0.1:8443"))).isEqualTo("https://127.0.0.1:8443");
    }
}
