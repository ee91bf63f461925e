package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.cloud.paths.Cidr;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import dev.outpost.wire.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection broker's API on a real cloud and recorder: the recorder reports its local endpoint over the
 * link, {@code POST /api/recorders/{id}/connect} answers a grant and the paths in order, and Remote Network
 * Settings change them. On loopback the viewer and the recorder share one public address, 127.0.0.1.
 */
class PathsApiTest {

    @Test
    void aViewerOnTheRecordersSiteIsSentToItsLocalAddressesThenDirectThenRelay(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Shop", c -> c.withLocal(LocalHttpConfig.defaults()
                    .withBindAddress("0.0.0.0").withPort(0)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();

            ConnectView view = awaitLanPath(admin, id);
            assertThat(view.viewerAddress()).isEqualTo("127.0.0.1");
            assertThat(view.grant()).isNotBlank();
            assertThat(view.paths().getLast()).isEqualTo(new PathView("relay", "/relay/" + id));
            assertThat(view.paths().getFirst().url()).startsWith("https://").endsWith(":" + recorder.localPort());

            assertThat(admin.networkSettings(id)).isEqualTo(RemoteNetworkSettings.DEFAULTS);
            RemoteNetworkSettings saved = admin.saveNetworkSettings(id, new RemoteNetworkSettings(false,
                    List.of("198.51.100.0/24"), Optional.of(new DirectConnect("Shop.Example.com", 8443, "https"))));
            assertThat(saved.directConnect()).contains(new DirectConnect("shop.example.com", 8443, "https"));
            assertThat(admin.networkSettings(id)).isEqualTo(saved);
            assertThat(admin.connect(id).paths()).containsExactly(
                    new PathView("direct", "https://shop.example.com:8443"),
                    new PathView("p2p", "/relay/" + id + "/api/p2p/sessions"), new PathView("relay", "/relay/" + id));

            OutpostException bad = catchThrowableOfType(OutpostException.class, () -> admin.saveNetworkSettings(id,
                    new RemoteNetworkSettings(true, List.of("10.0.0.0/40"), Optional.empty())));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.getMessage()).contains("sameSiteRanges[0]");

            // Viewers may connect but not see or change the settings.
            try (HttpClient http = BadInputSockets.http(site.cloud())) {
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/users"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + admin.token().orElseThrow())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(
                                new NewUser("viewer@outpost.test", "viewer password 1", "viewer"))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            }
            OutpostClient viewer = site.client("viewer@outpost.test", "viewer password 1");
            assertThat(viewer.connect(id).paths()).extracting(PathView::kind)
                    .containsExactly("direct", "p2p", "relay");
            assertThat(catchThrowableOfType(OutpostException.class, () -> viewer.networkSettings(id)).status())
                    .isEqualTo(403);
            assertThat(catchThrowableOfType(OutpostException.class, () -> viewer.connect("rnosuchrecorder")).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void forwardingHeadersCountOnlyFromTrustedProxies(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir, c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.0/8"))))) {
            Recorder recorder = site.recorder("Shop", c -> c.withLocal(LocalHttpConfig.defaults()
                    .withBindAddress("0.0.0.0").withPort(0)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            awaitLanPath(admin, id);
            try (HttpClient http = BadInputSockets.http(site.cloud())) {
                ConnectView elsewhere = connect(http, site, admin, id, "X-Forwarded-For", "198.51.100.7");
                assertThat(elsewhere.viewerAddress()).isEqualTo("198.51.100.7");
                assertThat(elsewhere.paths()).extracting(PathView::kind).containsExactly("p2p", "relay");
                ConnectView rfc7239 = connect(http, site, admin, id, "Forwarded", "for=\"198.51.100.8:1234\"");
                assertThat(rfc7239.viewerAddress()).isEqualTo("198.51.100.8");
                // The login throttle counts by the same address: one viewer's failures do not lock out the
                // others behind the same proxy.
                for (int i = 0; i < 6; i++) {
                    assertThat(login(http, site, "X-Forwarded-For", "198.51.100.66", "wrong password").statusCode())
                            .isIn(401, 429);
                }
                assertThat(login(http, site, "X-Forwarded-For", "198.51.100.67", "wrong password").statusCode())
                        .isEqualTo(401);
            }
        }
        try (Site untrusting = Site.start(dir.resolve("second"))) {
            Recorder recorder = untrusting.recorder("Shop", c -> c.withLocal(LocalHttpConfig.defaults()
                    .withBindAddress("0.0.0.0").withPort(0)));
            OutpostClient admin = untrusting.admin();
            try (HttpClient http = BadInputSockets.http(untrusting.cloud())) {
                ConnectView claimed = connect(http, untrusting, admin, recorder.identity().recorderId(),
                        "X-Forwarded-For", "198.51.100.7");
                assertThat(claimed.viewerAddress()).isEqualTo("127.0.0.1");
            }
        }
    }

    private static HttpResponse<String> login(HttpClient http, Site site, String header, String value,
                                              String password) throws Exception {
        return http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/login"))
                .timeout(Duration.ofSeconds(10))
                .header(header, value)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(
                        new dev.outpost.wire.api.LoginRequest("viewer-" + value + "@outpost.test", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConnectView awaitLanPath(OutpostClient client, String id) {
        // The local endpoint is stored a moment after the link comes up.
        await("a lan path").atMost(Duration.ofSeconds(10)).until(() -> client.connect(id).paths().size() > 1);
        ConnectView view = client.connect(id);
        assertThat(view.paths()).extracting(PathView::kind).startsWith("lan").endsWith("p2p", "relay")
                .containsOnly("lan", "p2p", "relay");
        return view;
    }

    private static ConnectView connect(HttpClient http, Site site, OutpostClient as, String id, String header,
                                       String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/recorders/" + id + "/connect"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + as.token().orElseThrow())
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body().getBytes(StandardCharsets.UTF_8), ConnectView.class);
    }
}
