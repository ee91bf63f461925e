package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A viewer reaches a recorder's API through the cloud: activation, relay GET, streaming both ways. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayTest {
    Site site;
    Recorder recorder;
    OutpostClient viewer;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        recorder = site.recorder("Shop front");
        viewer = site.admin();
    }

    @AfterAll
    void stop() {
        site.close();
    }

    @Test
    void theCloudShowsTheActivatedRecorderOnlineWithHowItIsLinked() {
        RecorderView view = viewer.recorder(recorder.identity().recorderId());
        assertThat(view.name()).isEqualTo("Shop front");
        assertThat(view.online()).isTrue();
        assertThat(view.since()).isNotNull();
        assertThat(view.publicAddress()).isEqualTo("127.0.0.1");
        assertThat(view.transport()).isEqualTo("h2");
        assertThat(view.viaProxy()).isFalse();
        assertThat(recorder.linkStatus().publicAddress()).contains("127.0.0.1");
    }

    @Test
    void relayedRequestsStartedTogetherEachGetTheirOwnAnswer() throws Exception {
        // Viewers on different event loops open streams on the one link at the same moment; each stream must
        // carry its own request's answer (a shared stream bootstrap once gave two streams one handler).
        String id = recorder.identity().recorderId();
        int requests = 24;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Long>> lengths = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                long limit = 1000 + i;
                lengths.add(threads.submit(() -> {
                    go.await();
                    try (RelayResponse response = viewer.relayGet(id, "/api/stream?rate=0&limit=" + limit)) {
                        assertThat(response.status()).isEqualTo(200);
                        return (long) response.body().readAllBytes().length;
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < requests; i++) {
                assertThat(lengths.get(i).get(20, java.util.concurrent.TimeUnit.SECONDS)).as("request %d", i).isEqualTo(1000L + i);
            }
        }
    }

    @Test
    void aRelayedGetReachesTheRecorderWithAGrantForTheViewer() throws Exception {
        try (RelayResponse response = viewer.relayGet(recorder.identity().recorderId(), "/api/info")) {
            assertThat(response.status()).isEqualTo(200);
            RecorderInfo info = Json.read(response.body().readAllBytes(), RecorderInfo.class);
            assertThat(info.recorderId()).isEqualTo(recorder.identity().recorderId());
            assertThat(info.name()).isEqualTo("Shop front");
            assertThat(info.user()).isEqualTo(viewer.me().id());
        }
    }

    @Test
    void aLongStreamArrivesWholeAndInOrder() throws Exception {
        long n = 20_000_000;
        try (RelayResponse response = viewer.relayGet(recorder.identity().recorderId(),
                "/api/stream?rate=0&limit=" + n)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(Streams.readPattern(response.body(), n)).isEqualTo(-1);
            assertThat(response.body().read()).isEqualTo(-1);
        }
    }

    @Test
    void aStreamingUploadIsEchoedBackByteForByte() throws Exception {
        long n = 8_000_000;
        byte[] sent = Streams.sha256(Streams.generated(n, 42));
        try (RelayResponse response = viewer.relaySend(recorder.identity().recorderId(), "POST", "/api/echo",
                "application/octet-stream", Streams.generated(n, 42))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(Streams.sha256(response.body())).isEqualTo(sent);
        }
    }

    @Test
    void manyRequestsReuseTheLinkOneStreamEach() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (RelayResponse response = viewer.relayGet(recorder.identity().recorderId(), "/api/info")) {
                assertThat(response.status()).isEqualTo(200);
                response.body().readAllBytes();
            }
        }
        assertThat(site.cloud().links().find(recorder.identity().recorderId()).orElseThrow().openStreams()).isZero();
    }

    @Test
    void anUnknownRecorderPathAnswersTheRecordersOwn404() throws Exception {
        try (RelayResponse response = viewer.relayGet(recorder.identity().recorderId(), "/api/nothing-here")) {
            assertThat(response.status()).isEqualTo(404);
        }
    }
}
