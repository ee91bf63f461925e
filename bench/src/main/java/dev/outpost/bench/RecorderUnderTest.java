package dev.outpost.bench;

import dev.outpost.client.CloudTrust;
import dev.outpost.client.OutpostClient;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorder with sample cameras in a JVM of its own ({@link RecorderNode}), activated with a {@link BenchCloud}, as
 * the video benchmarks measure it: its process, its local port, grants for it from the cloud, and its cameras.
 */
final class RecorderUnderTest implements AutoCloseable {
    private final ChildJvm child;
    private final String recorderId;
    private final int port;
    private final OutpostClient cloudApi;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RecorderUnderTest(ChildJvm child, String recorderId, int port, OutpostClient cloudApi) {
        this.child = child;
        this.recorderId = recorderId;
        this.port = port;
        this.cloudApi = cloudApi;
    }

    /**
     * Starts a recorder with {@code cameras} sample cameras sharing {@code clips} clips, in {@code dataDir}, and waits
     * until every camera's two streams play (up to {@code startTimeout}: the first run makes the clips).
     *
     * @param jvmOptions for the recorder's JVM, besides native access for FFmpeg (as {@code ./outpost} runs it)
     */
    static RecorderUnderTest start(BenchCloud cloud, Path dataDir, int cameras, int clips, List<String> jvmOptions,
                                   Duration startTimeout) throws Exception {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        options.addAll(jvmOptions);
        ChildJvm child = new ChildJvm(options, RecorderNode.class, dataDir.toString(), cloud.url().toString(),
                cloud.activationCode("bench-" + cameras + "-cameras"), "--samples", Integer.toString(cameras),
                "--sample-clips", Integer.toString(clips));
        RecorderUnderTest recorder = null;
        try {
            String[] ready = child.await("READY").split(" ");
            OutpostClient api = OutpostClient.builder(cloud.url()).trust(CloudTrust.pinned(cloud.fingerprint()))
                    .token(cloud.sessionToken()).build();
            recorder = new RecorderUnderTest(child, ready[1], Integer.parseInt(ready[2]), api);
            recorder.awaitStreaming(cameras, startTimeout);
            return recorder;
        } catch (Exception | Error e) {
            if (recorder != null) {
                recorder.close();
            } else {
                child.close();
            }
            throw e;
        }
    }

    ChildJvm process() {
        return child;
    }

    int port() {
        return port;
    }

    /** A fresh grant to view this recorder (5 minutes by default), from the cloud as a viewer gets one. */
    String grant() {
        return cloudApi.grant(recorderId).grant();
    }

    /** {@code GET /api/cameras} on the local port. */
    List<CameraView> cameras() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cameras"))
                .header("Authorization", "Bearer " + grant()).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("GET /api/cameras answered " + answer.statusCode());
        }
        return List.of(Json.read(answer.body(), CameraView[].class));
    }

    private void awaitStreaming(int cameras, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<CameraView> views = cameras();
            long playing = views.stream().flatMap(v -> v.streams().stream())
                    .filter(s -> s.state().equals("STREAMING")).count();
            if (views.size() == cameras && playing == 2L * cameras) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(playing + " of " + 2 * cameras + " sample streams play after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** The recorder's answer to {@code MEMORY} (see {@link RecorderNode}): heap after GC, heap committed, direct. */
    long[] memory() throws IOException {
        child.send("MEMORY");
        String[] f = child.await("MEMORY").split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    /** Collections and their milliseconds so far. */
    long[] collections() throws IOException {
        child.send("GC");
        String[] f = child.await("GC").split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    @Override
    public void close() throws Exception {
        try {
            child.close();
        } finally {
            cloudApi.close();
        }
    }
}
