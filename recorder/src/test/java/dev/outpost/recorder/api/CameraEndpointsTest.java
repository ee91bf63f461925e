package dev.outpost.recorder.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.local.LocalHttpServer;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.json.Json;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The camera endpoints over the local port: who may change cameras, and what a bad request is told. The cameras
 * point at a closed port (they only try to connect); {@code RecorderCamerasTest} has them stream.
 */
class CameraEndpointsTest {
    private static final String FRONT = """
            {"id": "front", "name": "Front", "mainUrl": "rtsp://127.0.0.1:9/main", "subUrl": "rtsp://127.0.0.1:9/sub",
             "username": "admin", "password": "s3cret"}""";

    @TempDir
    Path data;
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private CameraSet cameras;
    private LocalHttpServer server;

    @BeforeEach
    void start() throws Exception {
        CameraSet.Outlets none = new CameraSet.Outlets() {
            @Override
            public List<VideoSink> sinks(String cameraId, StreamKind kind) {
                return List.of();
            }

            @Override
            public void release(String cameraId) {
            }
        };
        cameras = CameraSet.open(data, List.of(), Set.of("sample-1"), group, none);
        api.cameraSet(cameras, camera -> new CameraView(camera.id(), camera.name(), List.of()));
        api.cameras(() -> cameras.cameras().stream().map(c -> new CameraView(c.id(), c.name(), List.of())).toList());
        server = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0), api, group);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        cameras.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void onlyAGrantWithTheAdminRightChangesCameras() throws Exception {
        assertRefused(send("POST", "/api/cameras", grants.valid(), FRONT), 403, "forbidden");
        assertThat(cameras.cameras()).isEmpty();
        assertThat(send("POST", "/api/cameras", grants.admin(), FRONT).statusCode()).isEqualTo(201);
        assertRefused(send("PUT", "/api/cameras/front", grants.valid(), FRONT), 403, "forbidden");
        assertRefused(send("DELETE", "/api/cameras/front", grants.valid(), null), 403, "forbidden");
        assertThat(cameras.find("front")).isPresent();
        assertThat(send("GET", "/api/cameras/front", grants.valid(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = send("DELETE", "/api/cameras/front", grants.admin(), null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(cameras.cameras()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\": \"a b\", \"name\": \"A\", \"mainUrl\": \"rtsp://h/1\", \"subUrl\": \"rtsp://h/2\"}     | camera id",
            "{\"id\": \"a\", \"mainUrl\": \"rtsp://h/1\", \"subUrl\": \"rtsp://h/2\"}                         | name is missing",
            "{\"id\": \"a\", \"name\": \"A\", \"mainUrl\": \"http://h/1\", \"subUrl\": \"rtsp://h/2\"}       | mainUrl must start with rtsp://",
            "{\"id\": \"a\", \"name\": \"A\", \"mainUrl\": \"rtsp://h/1\"}                                    | subUrl is missing",
            "{\"id\": \"a\", \"name\": \"A\", \"mainUrl\": \"rtsp://h/1\", \"subUrl\": \"rtsps://h/2\"}      | subUrl is rtsps://",
            "{\"id\": \"a\", \"name\": \"A\", \"mainUrl\": \"rtsp://h/1\", \"subUrl\": \"rtsp://h/2\", \"transport\": \"sctp\"} | transport must be auto, tcp or udp",
            "{\"id\": \"a\", \"name\": \"A\", \"mainUrl\": \"rtsp://h/1\", \"subUrl\": \"rtsp://h/2\", \"password\": \"s3cret\"} | username: a password was given without a username"})
    void badSettingsAreRefusedNamingTheField(String body, String message) throws Exception {
        HttpResponse<String> answer = send("POST", "/api/cameras", grants.admin(), body);
        ApiError error = assertRefused(answer, 400, "bad-camera");
        assertThat(error.message()).contains(message).doesNotContain("s3cret");
        assertThat(cameras.cameras()).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithoutEchoingIt() throws Exception {
        ApiError error = assertRefused(send("POST", "/api/cameras", grants.admin(),
                "{\"id\": \"a\", \"password\": s3cret}"), 400, "bad-body");
        assertThat(error.message()).contains("line 1").doesNotContain("s3cret");
        assertRefused(send("POST", "/api/cameras", grants.admin(), "x".repeat(20_000)), 413, "body-too-large");
    }

    @Test
    void conflictsAndUnknownCamerasAreToldApart() throws Exception {
        assertThat(send("POST", "/api/cameras", grants.admin(), FRONT).statusCode()).isEqualTo(201);
        assertRefused(send("POST", "/api/cameras", grants.admin(), FRONT), 409, "camera-exists");
        assertRefused(send("POST", "/api/cameras", grants.admin(), FRONT.replace("\"front\"", "\"sample-1\"")),
                409, "camera-exists");
        assertRefused(send("PUT", "/api/cameras/back", grants.admin(), FRONT.replace("\"front\"", "\"back\"")),
                404, "not-found");
        assertRefused(send("DELETE", "/api/cameras/back", grants.admin(), null), 404, "not-found");
        ApiError renamed = assertRefused(send("PUT", "/api/cameras/front", grants.admin(),
                FRONT.replace("\"front\"", "\"back\"")), 400, "bad-camera");
        assertThat(renamed.message()).startsWith("id:");
    }

    @Test
    void aChangeWithoutAPasswordKeepsTheOneSetAndTheAnswerNeverShowsIt() throws Exception {
        HttpResponse<String> added = send("POST", "/api/cameras", grants.admin(), FRONT);
        assertThat(added.body()).doesNotContain("s3cret");
        HttpResponse<String> changed = send("PUT", "/api/cameras/front", grants.admin(), """
                {"name": "Front door", "mainUrl": "rtsp://127.0.0.1:9/main2", "subUrl": "rtsp://127.0.0.1:9/sub2",
                 "username": "admin"}""");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).doesNotContain("s3cret");
        CameraConfig config = cameras.find("front").orElseThrow().config();
        assertThat(config.name()).isEqualTo("Front door");
        assertThat(config.credentials()).contains(new CameraConfig.Credentials("admin", "s3cret"));
        assertThat(config.bareUrl(StreamKind.MAIN)).isEqualTo(URI.create("rtsp://127.0.0.1:9/main2"));

        send("PUT", "/api/cameras/front", grants.admin(), """
                {"name": "Front door", "mainUrl": "rtsp://127.0.0.1:9/main2", "subUrl": "rtsp://127.0.0.1:9/sub2"}""");
        assertThat(cameras.find("front").orElseThrow().config().credentials()).as("no username: no credentials")
                .isEmpty();
    }

    @Test
    void aClientThatWaitsFor100ContinueGetsToSendItsBody() throws Exception {
        HttpResponse<String> answer = client.send(request("POST", "/api/cameras", grants.admin(), FRONT)
                .expectContinue(true).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(Json.read(answer.body().getBytes(StandardCharsets.UTF_8), CameraView.class).id()).isEqualTo("front");
    }

    @Test
    void backupsNeedTheAdminRightAndABadRestoreIsRefusedByFieldChangingNothing() throws Exception {
        dev.outpost.recorder.outbox.Outbox outbox = dev.outpost.recorder.outbox.Outbox.open(data.resolve("outbox"),
                dev.outpost.recorder.outbox.Outbox.Limits.DEFAULTS, java.time.Clock.systemUTC(),
                dev.outpost.recorder.outbox.DataUsage.open(data.resolve("usage.json"), java.time.Clock.systemUTC()));
        try {
            api.backups(new dev.outpost.recorder.backups.ConfigBackups("r-1", cameras, outbox,
                    java.time.Clock.systemUTC(), data.resolve("backups")));
            assertRefused(send("POST", "/api/backups", grants.valid(), null), 403, "forbidden");
            HttpResponse<String> taken = send("POST", "/api/backups", grants.admin(), null);
            assertThat(taken.statusCode()).isEqualTo(202);
            assertThat(outbox.size()).isEqualTo(1);

            String door = """
                    {"format": 1, "recorderId": "r-0", "takenAt": "2026-11-24T00:00:00Z", "cameras": [
                     {"id": "door", "name": "Door", "mainUrl": "MAIN", "subUrl": "rtsp://door:pw-9@127.0.0.1:9/sub",
                      "transport": "tcp"}]}""";
            assertRefused(send("PUT", "/api/config", grants.valid(), door.replace("MAIN", "rtsp://127.0.0.1:9/m")),
                    403, "forbidden");
            assertThat(assertRefused(send("PUT", "/api/config", grants.admin(), "{\"format\": 1"), 400, "bad-backup")
                    .message()).contains("not a JSON document");
            ApiError sealed = assertRefused(send("PUT", "/api/config", grants.admin(), door.replace("MAIN",
                    "aesgcm:AAAA")), 400, "bad-backup");
            assertThat(sealed.message()).contains("cameras[0].mainUrl is still sealed").doesNotContain("pw-9");
            assertThat(assertRefused(send("PUT", "/api/config", grants.admin(), door.replace("tcp", "pigeon")), 400,
                    "bad-backup").message()).contains("cameras[0]", "transport");
            assertThat(cameras.cameras()).isEmpty();

            HttpResponse<String> restored = send("PUT", "/api/config", grants.admin(),
                    door.replace("MAIN", "rtsp://door:pw-9@127.0.0.1:9/main"));
            assertThat(restored.statusCode()).isEqualTo(200);
            assertThat(restored.body()).contains("\"cameras\":1");
            assertThat(cameras.find("door").orElseThrow().config().credentials())
                    .contains(new CameraConfig.Credentials("door", "pw-9"));
        } finally {
            outbox.close();
        }
    }

    private static ApiError assertRefused(HttpResponse<String> answer, int status, String word) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        ApiError error = Json.read(answer.body().getBytes(StandardCharsets.UTF_8), ApiError.class);
        assertThat(error.error()).isEqualTo(word);
        return error;
    }

    private HttpResponse<String> send(String method, String path, String grant, String body) throws Exception {
        return client.send(request(method, path, grant, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String grant, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + grant)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
    }
}
