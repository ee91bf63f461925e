package dev.outpost.recorder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.exports.ClipExports;
import dev.outpost.recorder.exports.ClipMakerTest;
import dev.outpost.recorder.exports.TestRecording;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.local.LocalHttpServer;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.TestVideo;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.ExportView;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/exports} over the local port with a real recording: who may export, what a clip is once the cloud
 * takes it part by part ({@code GET /api/outbox/items/{key}/parts/{n}}), and what bad requests are told.
 */
class ExportEndpointsTest {
    private static TestVideo.Real video;
    @TempDir
    static Path videoDir;
    @TempDir
    Path data;
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalHttpServer server;
    private Outbox outbox;
    private ClipExports exports;

    @BeforeAll
    static void makeVideo() throws Exception {
        video = TestVideo.real(videoDir, 6, 704, 576); // pictures 0 to 89, keyframes every 30
    }

    private void start(Outbox.Limits limits, Executor encoding, ClipExports.Settings settings) throws Exception {
        RecordingIndex index = TestRecording.record(data, video, i -> false);
        outbox = Outbox.open(data.resolve("outbox"), limits, grants.clock,
                DataUsage.open(data.resolve("usage.json"), grants.clock));
        exports = new ClipExports(data.resolve("exports"), camera -> camera.equals("cam") ? Optional.of(index)
                : Optional.empty(), outbox, grants.clock, encoding, settings);
        api.outbox(outbox);
        api.exports(exports);
        server = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0), api, group);
    }

    private void start() throws Exception {
        start(Outbox.Limits.DEFAULTS, Executors.newVirtualThreadPerTaskExecutor(), new ClipExports.Settings(1, 2));
    }

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String body(int fromPicture, int toPicture) {
        return "{\"cameraId\": \"cam\", \"ranges\": [{\"start\": \"" + TestRecording.at(fromPicture) + "\", \"end\": \""
                + TestRecording.at(toPicture) + "\"}]}";
    }

    private HttpResponse<byte[]> send(String method, String path, String grant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + grant).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private ExportView export(String id) throws Exception {
        HttpResponse<byte[]> answer = send("GET", "/api/exports/" + id, grants.withRights(Grant.EXPORT), null);
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.read(answer.body(), ExportView.class);
    }

    private static void assertRefused(HttpResponse<byte[]> answer, int status, String code, String words) {
        assertThat(answer.statusCode()).isEqualTo(status);
        ApiError error = Json.read(answer.body(), ApiError.class);
        assertThat(error.error()).isEqualTo(code);
        assertThat(error.message()).contains(words);
    }

    @Test
    void anExportReachesTheOutboxWholeAndTheCloudTakesItPartByPart() throws Exception {
        start();
        assertRefused(send("POST", "/api/exports", grants.valid(), body(30, 75)), 403, "forbidden", "export");

        HttpResponse<byte[]> asked = send("POST", "/api/exports", grants.withRights(Grant.EXPORT), body(30, 75));
        assertThat(asked.statusCode()).isEqualTo(202);
        ExportView queued = Json.read(asked.body(), ExportView.class);
        assertThat(queued.state()).isIn(ExportView.QUEUED, ExportView.ENCODING);

        ExportView uploading = await().atMost(Duration.ofSeconds(60)).until(() -> export(queued.id()),
                view -> view.state().equals(ExportView.UPLOADING) || view.state().equals(ExportView.FAILED));
        assertThat(uploading.state()).as(uploading.message()).isEqualTo(ExportView.UPLOADING);
        ClipFacts clip = uploading.clip();
        assertThat(clip.width()).isEqualTo(704);
        assertThat(clip.durationMillis()).isBetween(2900L, 3100L);
        assertThat(outbox.size()).isEqualTo(1);
        try (var left = Files.list(data.resolve("exports"))) {
            assertThat(left).as("nothing of the clip stays outside the outbox").isEmpty();
        }

        // The cloud's way: poll, then each part with its SHA-256.
        String key = outbox.poll(10, Duration.ZERO).getFirst().key();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int part = 0; part < ClipFacts.parts(clip.bytes()); part++) {
            HttpResponse<byte[]> answer = send("GET", "/api/outbox/items/" + key + "/parts/" + part,
                    grants.withRights(Grant.OUTBOX), null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Outpost-Part-Sha256")).contains(sha256(answer.body()));
            whole.write(answer.body());
        }
        assertThat(send("GET", "/api/outbox/items/" + key + "/parts/99", grants.withRights(Grant.OUTBOX), null)
                .statusCode()).isEqualTo(416);
        assertThat(whole.size()).isEqualTo(clip.bytes());
        assertThat(sha256(whole.toByteArray())).isEqualTo(clip.sha256());
        Path received = data.resolve("received.mp4");
        Files.write(received, whole.toByteArray());
        assertThat(ClipMakerTest.probe(data, received)).containsEntry("nb_read_frames", "45")
                .containsEntry("height", "576");

        outbox.acknowledge(List.of(key));
        ExportView done = export(queued.id());
        assertThat(done.state()).isEqualTo(ExportView.DONE);
        assertThat(done.percent()).isEqualTo(100);
        assertThat(outbox.usage().view().last30Days().get(DataUsage.EXPORTS)).isGreaterThanOrEqualTo(clip.bytes());
    }

    @Test
    void badExportsAreRefusedNamingWhatIsWrong() throws Exception {
        start();
        String export = grants.withRights(Grant.EXPORT);
        assertRefused(send("POST", "/api/exports", export, "{\"cameraId\": \"cam\", \"ranges\": [{\"start\": \""
                + TestRecording.at(0) + "\", \"end\": \"" + TestRecording.at(0).plus(Duration.ofMinutes(21))
                + "\"}]}"), 400, "bad-export", "at most 20 minutes");
        assertRefused(send("POST", "/api/exports", export, "{\"cameraId\": \"cam\", \"ranges\": [{\"start\": \""
                + TestRecording.at(0) + "\", \"end\": \"" + TestRecording.at(0).plus(Duration.ofMinutes(11))
                + "\"}, {\"start\": \"" + TestRecording.at(0).plus(Duration.ofMinutes(12)) + "\", \"end\": \""
                + TestRecording.at(0).plus(Duration.ofMinutes(22)) + "\"}]}"), 400, "bad-export",
                "at most 20 minutes");
        assertRefused(send("POST", "/api/exports", export, body(30, 15)), 400, "bad-export", "ranges[0]");
        assertRefused(send("POST", "/api/exports", export, body(30, 60).replace("\"cam\"", "\"porch\"")), 404,
                "not-found", "porch");
        assertRefused(send("POST", "/api/exports", export, body(1000, 1100)), 404, "not-recorded",
                "nothing of camera cam is recorded");
        assertRefused(send("POST", "/api/exports", export, "{\"cameraId\": 5"), 400, "bad-body", "ExportRequest");
        try (var left = Files.list(data.resolve("exports"))) {
            assertThat(left).isEmpty();
        }
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aClipTheOutboxCouldNeverHoldIsRefused() throws Exception {
        start(new Outbox.Limits(100, 64 * 1024), Executors.newVirtualThreadPerTaskExecutor(),
                new ClipExports.Settings(1, 2));
        assertRefused(send("POST", "/api/exports", grants.withRights(Grant.EXPORT), body(0, 89)), 507,
                "outbox-full", "more than the outbox holds");
    }

    @Test
    void exportsBeyondTheQueueAreRefusedWith429() throws Exception {
        Executor never = task -> { }; // every export stays queued
        start(Outbox.Limits.DEFAULTS, never, new ClipExports.Settings(1, 1));
        String export = grants.withRights(Grant.EXPORT);
        // The longest clip at the larger size fits the default outbox.
        String longest = "{\"cameraId\": \"cam\", \"quality\": \"4mp\", \"ranges\": [{\"start\": \""
                + TestRecording.at(0) + "\", \"end\": \"" + TestRecording.at(0).plus(Duration.ofMinutes(20)) + "\"}]}";
        assertThat(send("POST", "/api/exports", export, longest).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/exports", export, body(0, 30)).statusCode()).isEqualTo(202);
        assertRefused(send("POST", "/api/exports", export, body(0, 30)), 429, "too-many-exports", "try again");
        List<?> listed = Json.read(send("GET", "/api/exports", export, null).body(), List.class);
        assertThat(listed).hasSize(2);
    }

    @Test
    void whatACrashLeftInTheExportsDirectoryIsDeletedAtStart() throws Exception {
        Files.createDirectories(data.resolve("exports"));
        Files.write(data.resolve("exports/0123456789abcdef.mp4.tmp"), new byte[1000]);
        Files.write(data.resolve("exports/fedcba9876543210.mp4"), new byte[1000]);
        start();
        try (var left = Files.list(data.resolve("exports"))) {
            assertThat(left).isEmpty();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
