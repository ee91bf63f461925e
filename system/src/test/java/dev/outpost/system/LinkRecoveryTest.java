package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.link.LinkStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link comes back by itself after a cloud restart, and a dropped link never leaves a viewer hanging. */
class LinkRecoveryTest {

    @Test
    void afterACloudRestartTheRecorderComesBackAndRelayingWorksAgain(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Warehouse");
            String id = recorder.identity().recorderId();
            int port = site.cloud().port();

            site.stopCloud();
            await("the recorder notices").atMost(Duration.ofSeconds(10))
                    .until(() -> recorder.linkStatus().state() != LinkStatus.State.ONLINE);
            assertThat(recorder.linkStatus().lastError()).isPresent();

            site.startCloudAgain(port);
            site.awaitOnline(recorder);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.linkStatus().state() == LinkStatus.State.ONLINE);

            OutpostClient viewer = site.admin();
            try (RelayResponse response = viewer.relayGet(id, "/api/info")) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(new String(response.body().readAllBytes())).contains(id);
            }
            assertThat(viewer.recorder(id).online()).isTrue();
        }
    }

    @Test
    void aLinkKilledMidStreamEndsTheViewersStreamPromptlyWithAnError(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Gate");
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.admin();
            RelayResponse live = viewer.relayGet(id, "/api/stream?rate=500000");
            assertThat(live.status()).isEqualTo(200);
            AtomicLong read = new AtomicLong();
            CompletableFuture<Throwable> ending = CompletableFuture.supplyAsync(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = live.body()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        read.addAndGet(n);
                    }
                    return new AssertionError("the stream ended cleanly, as if complete");
                } catch (IOException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> read.get() > 100_000);

            site.cloud().links().disconnect(id); // the link dies under the stream

            Throwable outcome = ending.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(outcome).as("a cut stream is an error, not a clean end").isInstanceOf(IOException.class);
            // And the recorder reconnects by itself for the next viewer.
            site.awaitOnline(recorder);
            try (RelayResponse again = viewer.relayGet(id, "/api/info")) {
                assertThat(again.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aRequestToAnOfflineRecorderGetsA502SayingSo(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Attic");
            String id = recorder.identity().recorderId();
            recorder.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !site.cloud().links().isOnline(id));
            OutpostClient viewer = site.admin();
            try (RelayResponse response = viewer.relayGet(id, "/api/info")) {
                assertThat(response.status()).isEqualTo(502);
                assertThat(new String(response.body().readAllBytes())).contains("recorder-offline");
            }
            assertThat(viewer.recorder(id).online()).isFalse();
            assertThat(viewer.recorder(id).since()).isNotNull();
        }
    }
}
