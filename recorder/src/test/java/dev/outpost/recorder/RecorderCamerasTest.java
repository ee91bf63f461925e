package dev.outpost.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.testkit.RtspCamera;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.grant.GrantSigner;
import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running recorder whose cameras change through its local HTTP API while it records: real GStreamer RTSP cameras,
 * the real router, live hubs and recordings. A camera is added and streams and records, is moved to another camera
 * and keeps its live viewer, and is removed: its viewer's response ends and the other camera goes on.
 */
class RecorderCamerasTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String PASSWORD = "s3cret pass";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Every answer body the API gave: none may hold a camera password. */
    private final StringBuilder answers = new StringBuilder();

    @Test
    void aCameraAddedChangedAndRemovedAtRuntimeStreamsRecordsAndEndsItsViewersAlone() throws Exception {
        KeyPair cloud = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        new RecorderIdentity("rec-cams", "Shop", "credential-1", cloud.getPublic(), URI.create("https://127.0.0.1:9"),
                ActivationProof.PKI_BINDING).save(dir);
        String admin = grant(cloud, Set.of(Grant.VIEW, Grant.ADMIN));
        String viewer = grant(cloud, Set.of(Grant.VIEW));
        // Each recorder camera pulls its own GStreamer server: a shared-media server joined by a second client
        // while it streams to a first has been seen to die (the test camera, not the recorder).
        try (RtspCamera first = RtspCamera.builder().digestAuth("admin", PASSWORD).start();
             RtspCamera second = RtspCamera.builder().mainSize(640, 360).start();
             RtspCamera third = RtspCamera.builder().start()) {
            CameraConfig other = new CameraConfig("other", "Other", third.url(RtspCamera.MAIN),
                    third.url(RtspCamera.SUB));
            RecorderConfig config = RecorderConfig.defaults(dir).withLocal(LocalHttpConfig.defaults().withPort(0))
                    .withCameras(List.of(other));
            try (Recorder recorder = Recorder.start(config)) {
                String base = "http://127.0.0.1:" + recorder.localPort();
                String porch = """
                        {"id": "porch", "name": "Porch", "mainUrl": "%s", "subUrl": "%s",
                         "username": "admin", "password": "%s", "transport": "tcp"}"""
                        .formatted(first.url(RtspCamera.MAIN, false), first.url(RtspCamera.SUB, false), PASSWORD);

                HttpResponse<String> refused = send(base, "POST", "/api/cameras", viewer, porch);
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(Json.read(bytes(refused), ApiError.class).error()).isEqualTo("forbidden");

                // Added: both streams play and record.
                HttpResponse<String> added = send(base, "POST", "/api/cameras", admin, porch);
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                CameraView view = Json.read(bytes(added), CameraView.class);
                assertThat(view.id()).isEqualTo("porch");
                assertThat(view.settings()).contains(new CameraView.Settings(first.url(RtspCamera.MAIN, false).toString(),
                        first.url(RtspCamera.SUB, false).toString(), "admin", true, "tcp"));
                await("porch streaming").atMost(DEADLINE).until(() -> states(base, viewer, "porch")
                        .equals(List.of("STREAMING/RECORDING", "STREAMING/RECORDING")));
                await("porch recorded").atMost(DEADLINE).until(() -> recordedBytes(recorder, "porch") > 0);

                // A live viewer of it.
                AtomicLong received = new AtomicLong();
                AtomicBoolean ended = new AtomicBoolean();
                AtomicReference<Throwable> broken = new AtomicReference<>();
                HttpResponse<InputStream> live = http.send(request(base, "GET", "/api/cameras/porch/live.mp4", viewer,
                        null), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(live.statusCode()).isEqualTo(200);
                Thread.ofVirtual().start(() -> {
                    try (InputStream in = live.body()) {
                        byte[] buffer = new byte[16 * 1024];
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            received.addAndGet(n);
                        }
                        ended.set(true);
                    } catch (IOException e) {
                        broken.set(e);
                    }
                });
                await("live video").atMost(DEADLINE).until(() -> received.get() > 100_000);

                // Changed to the second camera, without credentials: it streams at that camera's size, and the
                // viewer stays connected and gets its video.
                String moved = """
                        {"name": "Porch (new)", "mainUrl": "%s", "subUrl": "%s"}"""
                        .formatted(second.url(RtspCamera.MAIN), second.url(RtspCamera.SUB));
                HttpResponse<String> changed = send(base, "PUT", "/api/cameras/porch", admin, moved);
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                CameraView after = Json.read(bytes(changed), CameraView.class);
                assertThat(after.name()).isEqualTo("Porch (new)");
                assertThat(after.settings().orElseThrow().hasPassword()).isFalse();
                assertThat(after.settings().orElseThrow().transport()).isEqualTo("auto");
                await("porch on the second camera").atMost(DEADLINE).until(() ->
                        view(base, viewer, "porch").streams().getFirst().width() == 640
                                && states(base, viewer, "porch").getFirst().equals("STREAMING/RECORDING"));
                long atChange = received.get();
                await("live video after the change").atMost(DEADLINE).until(() -> received.get() > atChange + 50_000);
                assertThat(ended).isFalse();

                // Removed: the viewer's response ends cleanly, the files stay, the other camera goes on.
                HttpResponse<String> removed = send(base, "DELETE", "/api/cameras/porch", admin, null);
                assertThat(removed.statusCode()).isEqualTo(204);
                assertThat(removed.headers().firstValue("content-length")).isEmpty();
                await("the viewer's response ends").atMost(DEADLINE).until(ended::get);
                assertThat(broken.get()).isNull();
                assertThat(send(base, "GET", "/api/cameras/porch", viewer, null).statusCode()).isEqualTo(404);
                assertThat(send(base, "DELETE", "/api/cameras/porch", admin, null).statusCode()).isEqualTo(404);
                assertThat(recorder.recordings().index("porch", StreamKind.MAIN)).isEmpty();
                try (Stream<Path> files = Files.walk(dir.resolve("recordings").resolve("porch"))) {
                    assertThat(files.filter(f -> f.toString().endsWith(".mp4"))).isNotEmpty();
                }
                long otherBefore = recordedBytes(recorder, "other");
                assertThat(states(base, viewer, "other")).containsOnly("STREAMING/RECORDING");
                await("the other camera records on").atMost(DEADLINE)
                        .until(() -> recordedBytes(recorder, "other") > otherBefore);
                assertThat(answers.toString()).doesNotContain("s3cret").doesNotContain(PASSWORD);
            }

            // What was changed at runtime is what a restart brings back.
            try (Recorder again = Recorder.start(RecorderConfig.defaults(dir)
                    .withLocal(LocalHttpConfig.defaults().withPort(0)).withCameras(List.of(other)))) {
                assertThat(again.cameras().cameras()).extracting(c -> c.id()).containsExactly("other");
            }
        }
    }

    private List<String> states(String base, String grant, String id) throws Exception {
        return view(base, grant, id).streams().stream().map(s -> s.state() + "/" + s.recording()).toList();
    }

    private CameraView view(String base, String grant, String id) throws Exception {
        HttpResponse<String> answer = send(base, "GET", "/api/cameras/" + id, grant, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.read(bytes(answer), CameraView.class);
    }

    private static long recordedBytes(Recorder recorder, String id) {
        return recorder.recordings().index(id, StreamKind.MAIN).map(RecordingIndex::bytes).orElse(0L);
    }

    private HttpResponse<String> send(String base, String method, String path, String grant, String body)
            throws Exception {
        HttpResponse<String> answer = http.send(request(base, method, path, grant, body),
                HttpResponse.BodyHandlers.ofString());
        answers.append(answer.body()).append('\n');
        return answer;
    }

    private static HttpRequest request(String base, String method, String path, String grant, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .header("Authorization", "Bearer " + grant).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static byte[] bytes(HttpResponse<String> answer) {
        return answer.body().getBytes(StandardCharsets.UTF_8);
    }

    private static String grant(KeyPair cloud, Set<String> rights) {
        Instant now = Instant.now();
        return new GrantSigner(cloud.getPrivate()).sign(new Grant(UUID.randomUUID().toString(), "user-1", "rec-cams",
                rights, now.minusSeconds(10), now.plus(Duration.ofMinutes(5))));
    }
}
