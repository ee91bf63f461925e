package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.Ffmpeg;
import dev.outpost.wire.api.ClipShareView;
import dev.outpost.wire.api.ClipView;
import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.api.ExportRequest;
import dev.outpost.wire.api.ExportView;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.RecordingsView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clip export end to end (issue 7): a user asks the cloud for a clip of a recorder's 4MP sample camera; the recorder
 * makes it at 2MP and the cloud takes it in parts through a link drop, a cloud restart and a recorder restart; it is
 * in the library once, byte for byte what the recorder made, plays with ranges, and a share link opens it without a
 * login. Another organization cannot export from the recorder.
 */
class ClipDeliveryTest {
    private static final String CAMERA = "sample-1";
    /** 20 s at 2MP is some 5 MB; alerts, images and backups are far smaller. */
    private static final long CLIP_ITEM_BYTES = 1_000_000;

    @Test
    void aClipArrivesOnceAndByteIdenticalThroughALinkDropACloudRestartAndARecorderRestart(@TempDir Path dir)
            throws Exception {
        try (Site site = Site.start(dir)) {
            UnaryOperator<dev.outpost.recorder.RecorderConfig> oneCamera = c -> c.withSampleCameras(1);
            Recorder recorder = site.recorder("Shop", oneCamera);
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            RecordingsView.Range recorded = awaitRecorded(admin, id, Duration.ofSeconds(24));

            // 20 s of the 4MP main stream, from 2 s into what is recorded.
            Instant start = recorded.start().plusSeconds(2);
            ExportRequest request = new ExportRequest(CAMERA, List.of(new ExportRequest.Range(start,
                    start.plusSeconds(20))), "");
            ExportView asked = admin.exportClip(id, request);
            assertThat(asked.state()).isIn(ExportView.QUEUED, ExportView.ENCODING);
            // The cloud stops while the recorder encodes (seconds of 4MP video), so the finished clip waits in the
            // outbox and the test keeps a copy of it: what the recorder would send again if it never heard the
            // cloud's acknowledgement.
            int port = site.cloud().port();
            site.stopCloud();
            Path outbox = dir.resolve("recorder-0/outbox");
            Map<Path, byte[]> clipItem = await("the clip in the recorder's outbox").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> readItems(outbox, CLIP_ITEM_BYTES), items -> !items.isEmpty());
            assertThat(clipItem).hasSize(1);
            site.startCloudAgain(port);
            site.awaitOnline(recorder);
            OutpostClient afterStop = site.admin();

            ExportView uploading = afterStop.exportStatus(id, asked.id());
            assertThat(uploading.state()).as(uploading.message()).isIn(ExportView.UPLOADING, ExportView.DONE);
            ClipFacts made = uploading.clip();
            assertThat(made.width()).isEqualTo(1920);
            assertThat(made.height()).isEqualTo(1080);
            assertThat(clipItem.values().iterator().next().length).isGreaterThanOrEqualTo((int) made.bytes());

            // The link drops once the cloud has kept a part (or at once, if it has taken the whole clip already).
            Path parts = dir.resolve("cloud/clip-parts/" + id);
            await("a part kept").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> anyPart(parts) || !afterStop.clips(Optional.of(id), Optional.empty(), 10).isEmpty());
            site.cloud().links().disconnect(id);
            site.awaitOnline(recorder);
            site.restartCloud();
            site.awaitOnline(recorder);
            OutpostClient again = site.admin();

            ClipView clip = await("the clip in the library").atMost(Duration.ofSeconds(120))
                    .until(() -> again.clips(Optional.of(id), Optional.empty(), 10), list -> !list.isEmpty())
                    .getFirst();
            await("the recorder hears it stored").atMost(Duration.ofSeconds(30))
                    .until(() -> again.exportStatus(id, asked.id()).state().equals(ExportView.DONE));

            // The recorder restarts with the clip back in its outbox, as if the acknowledgement had been lost.
            recorder.close();
            clipItem.forEach((file, bytes) -> write(file, bytes));
            Recorder restarted = site.restart(oneCamera.apply(site.recorderConfig(0)));
            site.awaitOnline(restarted);
            await("the resent clip acknowledged").atMost(Duration.ofSeconds(60))
                    .until(() -> clipItem.keySet().stream().noneMatch(Files::exists));

            List<ClipView> library = again.clips(Optional.empty(), Optional.empty(), 100);
            assertThat(library).as("exactly once").singleElement().satisfies(c -> {
                assertThat(c.recorderId()).isEqualTo(id);
                assertThat(c.cameraId()).isEqualTo(CAMERA);
                assertThat(c.sha256()).isEqualTo(made.sha256());
                assertThat(c.bytes()).isEqualTo(made.bytes());
                assertThat(c.width()).isEqualTo(1920);
            });
            Path downloaded = dir.resolve("clip.mp4");
            assertThat(again.downloadClip(clip.id(), downloaded)).isEqualTo(made.bytes());
            assertThat(sha256(Files.readAllBytes(downloaded))).as("byte-identical to what the recorder made")
                    .isEqualTo(made.sha256());

            Path overHttp2 = dir.resolve("clip-h2.mp4");
            assertThat(site.adminOverHttp2().downloadClip(clip.id(), overHttp2)).as("as browsers ask, over HTTP/2")
                    .isEqualTo(made.bytes());
            assertThat(sha256(Files.readAllBytes(overHttp2))).isEqualTo(made.sha256());

            List<String> probe = List.of(Ffmpeg.ffprobe(dir, "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=codec_name,width,height:format=duration", "-of", "csv=p=0", downloaded.toString())
                    .requireSuccess().stdout().strip().split("\\R"));
            assertThat(probe.getFirst()).isEqualTo("h264,1920,1080");
            // From the keyframe at or before the start (GOPs are 2 s) to the end: 20 to 22 s.
            assertThat(Double.parseDouble(probe.get(1))).isBetween(19.8, 22.2);
            assertThat(Ffmpeg.ffmpeg(dir, "-v", "error", "-i", downloaded.toString(), "-f", "null", "-").stderr())
                    .as("every picture decodes").isBlank();

            try (HttpClient http = BadInputSockets.http(site.cloud())) {
                HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve(
                                "/api/clips/" + clip.id() + "/video.mp4"))
                        .header("Authorization", "Bearer " + again.token().orElseThrow())
                        .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(range.statusCode()).isEqualTo(206);
                assertThat(range.headers().firstValue("Content-Range")).contains("bytes 100-199/" + made.bytes());
                assertThat(range.body()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(downloaded), 100, 200));

                ClipShareView share = again.shareClip(clip.id(), 5);
                HttpResponse<byte[]> shared = http.send(HttpRequest.newBuilder(site.cloud().localUrl()
                        .resolve(share.url())).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(shared.statusCode()).as("no login needed").isEqualTo(200);
                assertThat(shared.headers().firstValue("Content-Type")).contains("video/mp4");
                assertThat(sha256(shared.body())).isEqualTo(made.sha256());
            }
            assertThat(again.clipUsage().bytes()).isEqualTo(made.bytes());

            try (RelayResponse usage = again.relayGet(id, "/api/usage")) {
                DataUsageView view = Json.read(usage.body().readAllBytes(), DataUsageView.class);
                assertThat(view.last30Days().get("exports")).as("counted when acknowledged")
                        .isGreaterThanOrEqualTo(made.bytes());
            }
        }
    }

    @Test
    void exportsTheCloudRefusesOrTheRecorderRefusesSayWhy(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Depot", c -> c.withSampleCameras(1));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            RecordingsView.Range recorded = awaitRecorded(admin, id, Duration.ofSeconds(3));
            Instant start = recorded.start();

            try (HttpClient http = BadInputSockets.http(site.cloud())) {
                post(site, http, admin, "/api/organizations", new NewOrganization("Elsewhere Ltd",
                        "boss@elsewhere.test", "another password"));
                post(site, http, admin, "/api/users", new NewUser("eve@outpost.test", "a viewer's password",
                        "viewer"));
            }
            OutpostException viewers = catchThrowableOfType(OutpostException.class, () -> site.client(
                    "eve@outpost.test", "a viewer's password").exportClip(id, new ExportRequest(CAMERA,
                    List.of(new ExportRequest.Range(start, start.plusSeconds(2))), "")));
            assertThat(viewers.status()).as("viewers watch, they do not export").isEqualTo(403);
            OutpostClient outsider = site.client("boss@elsewhere.test", "another password");
            OutpostException theirs = catchThrowableOfType(OutpostException.class, () -> outsider.exportClip(id,
                    new ExportRequest(CAMERA, List.of(new ExportRequest.Range(start, start.plusSeconds(2))), "")));
            assertThat(theirs.status()).as("another organization's recorder is no recorder").isEqualTo(404);

            assertRefused(admin, id, new ExportRequest(CAMERA, List.of(new ExportRequest.Range(start,
                    start.plus(Duration.ofMinutes(21)))), ""), 400, "bad-export", "at most 20 minutes");
            assertRefused(admin, id, new ExportRequest(CAMERA, List.of(new ExportRequest.Range(
                    start.minusSeconds(7200), start.minusSeconds(7000))), ""), 404, "not-recorded", "ranges[0]");
            assertRefused(admin, id, new ExportRequest("porch", List.of(new ExportRequest.Range(start,
                    start.plusSeconds(2))), ""), 404, "not-found", "porch");
            assertThat(admin.clips(Optional.empty(), Optional.empty(), 10)).isEmpty();
            assertThat(outsider.clips(Optional.empty(), Optional.empty(), 10)).isEmpty();

            recorder.close();
            await("offline").atMost(Duration.ofSeconds(20)).until(() -> !site.cloud().links().isOnline(id));
            assertRefused(admin, id, new ExportRequest(CAMERA, List.of(new ExportRequest.Range(start,
                    start.plusSeconds(2))), ""), 503, "recorder-offline", "offline");
        }
    }

    static void post(Site site, HttpClient http, OutpostClient as, String path, Object body)
            throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve(path))
                        .header("Authorization", "Bearer " + as.token().orElseThrow())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static void assertRefused(OutpostClient client, String recorderId, ExportRequest request, int status,
                                      String error, String words) {
        OutpostException refused = catchThrowableOfType(OutpostException.class,
                () -> client.exportClip(recorderId, request));
        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.error().error()).isEqualTo(error);
        assertThat(refused.error().message()).contains(words);
    }

    /** The camera's first recorded HD range once it is at least {@code length} long. */
    private static RecordingsView.Range awaitRecorded(OutpostClient client, String id, Duration length) {
        Instant began = Instant.now();
        return await(length.toSeconds() + " s recorded").atMost(length.plusSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try (RelayResponse response = client.relayGet(id, "/api/cameras/" + CAMERA
                            + "/recordings?stream=hd&from=" + began.minusSeconds(120) + "&to="
                            + Instant.now().plusSeconds(1))) {
                        RecordingsView view = Json.read(response.body().readAllBytes(), RecordingsView.class);
                        return view.ranges().stream().filter(RecordingsView.Range::recorded)
                                .filter(r -> Duration.between(r.start(), r.end()).compareTo(length) >= 0)
                                .findFirst().orElse(null);
                    }
                }, Objects::nonNull);
    }

    /** The whole outbox item files (written aside, then renamed) of at least {@code bytes}: the clip's. */
    private static Map<Path, byte[]> readItems(Path outbox, long bytes) throws Exception {
        if (!Files.isDirectory(outbox)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".item"))
                    .filter(f -> size(f) >= bytes).collect(Collectors.toMap(f -> f, ClipDeliveryTest::read));
        }
    }

    private static boolean anyPart(Path parts) throws Exception {
        if (!Files.exists(parts)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(parts)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".part")
                    || f.getFileName().toString().equals("clip.mp4"));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
