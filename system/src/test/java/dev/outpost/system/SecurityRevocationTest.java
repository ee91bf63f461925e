package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.api.RecorderView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking a recorder cuts it off at once and for good: the link closes, the recorder stops dialling
 * and says why, the relay no longer reaches it, and not even a restart brings it back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityRevocationTest {
    Site site;
    OutpostClient admin;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        site = Site.start(dir);
        admin = site.admin();
    }

    @AfterAll
    void stop() {
        site.close();
    }

    /** A recorder in its own data directory, so the test can start it again from the same identity. */
    private Recorder startRecorder(Path data, String code) throws Exception {
        RecorderConfig config = RecorderConfig.defaults(data)
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
        return Recorder.start(code.isEmpty() ? config : config.withActivation(site.cloud().localUrl(), code));
    }

    @Test
    void revokingClosesTheLinkAtOnceAndTheRecorderSaysItWasRevoked() throws Exception {
        Recorder recorder = site.recorder("Stolen");
        String id = recorder.identity().recorderId();
        try (RelayResponse before = admin.relayGet(id, "/api/info")) {
            assertThat(before.status()).isEqualTo(200);
        }

        admin.revoke(id);

        await("link closed by the cloud").atMost(Duration.ofSeconds(2)).until(() -> !site.cloud().links().isOnline(id));
        await("recorder refused for good").atMost(Duration.ofSeconds(10))
                .until(() -> recorder.linkStatus().state() == LinkStatus.State.REFUSED);
        assertThat(recorder.linkStatus().lastError()).hasValueSatisfying(error ->
                assertThat(error).contains("revoked").contains("activate it again with a new code"));

        RecorderView view = admin.recorder(id);
        assertThat(view.revoked()).isTrue();
        assertThat(view.online()).isFalse();
    }

    @Test
    void theRelayAnswers404ForARevokedRecorderAsIfItDidNotExist() throws Exception {
        Recorder recorder = site.recorder("Retired");
        String id = recorder.identity().recorderId();

        admin.revoke(id);
        await().atMost(Duration.ofSeconds(2)).until(() -> !site.cloud().links().isOnline(id));

        // 404, not 502 recorder-offline: the relay checks that the user may reach the recorder before it
        // looks for a link, and a revoked recorder may not be reached by anyone (CloudAccess,
        // RecorderDirectory.mayAccess), whether or not something still holds a link.
        try (RelayResponse relayed = admin.relayGet(id, "/api/info")) {
            assertThat(relayed.status()).isEqualTo(404);
            assertThat(new String(relayed.body().readAllBytes())).contains("\"not-found\"");
        }
        OutpostException grant = catchThrowableOfType(OutpostException.class, () -> admin.grant(id));
        assertThat(grant.status()).isEqualTo(404);
        // Revoking again is harmless.
        admin.revoke(id);
    }

    @Test
    void aRevokedRecorderStaysOfflineEvenWhenRestarted(@TempDir Path data) throws Exception {
        String id;
        try (Recorder recorder = startRecorder(data, admin.createActivationCode("Restarted").code())) {
            id = recorder.identity().recorderId();
            site.awaitOnline(recorder);
            admin.revoke(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.linkStatus().state() == LinkStatus.State.REFUSED);
        }

        try (Recorder again = startRecorder(data, "")) {
            assertThat(again.identity().recorderId()).isEqualTo(id);
            await("restarted recorder refused").atMost(Duration.ofSeconds(10))
                    .until(() -> again.linkStatus().state() == LinkStatus.State.REFUSED);
            assertThat(again.linkStatus().lastError()).hasValueSatisfying(error -> assertThat(error).contains("revoked"));
            // REFUSED means it stopped dialling; the cloud never saw it online meanwhile.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> !site.cloud().links().isOnline(id) && again.linkStatus().state() == LinkStatus.State.REFUSED);
            assertThat(admin.recorder(id).online()).isFalse();
        }
    }

    @Test
    void revokingCutsAStreamInProgress() throws Exception {
        Recorder recorder = site.recorder("Streaming");
        String id = recorder.identity().recorderId();
        try (RelayResponse stream = admin.relayGet(id, "/api/stream?rate=1000000&chunk=16384")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(Streams.readPattern(stream.body(), 100_000)).isEqualTo(-1);
            CompletableFuture<String> ended = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (InputStream body = stream.body()) {
                    byte[] buffer = new byte[64 * 1024];
                    while (body.read(buffer) >= 0) {
                        // the stream is endless: only the revocation ends it
                    }
                    ended.complete("end of stream");
                } catch (IOException e) {
                    ended.complete("cut: " + e);
                }
            });

            admin.revoke(id);

            assertThat(ended.get(5, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void revokingOneRecorderLeavesTheOthersOnline() throws Exception {
        Recorder kept = site.recorder("Kept");
        Recorder dropped = site.recorder("Dropped");

        admin.revoke(dropped.identity().recorderId());
        await().atMost(Duration.ofSeconds(2)).until(() -> !site.cloud().links().isOnline(dropped.identity().recorderId()));

        assertThat(site.cloud().links().isOnline(kept.identity().recorderId())).isTrue();
        try (RelayResponse relayed = admin.relayGet(kept.identity().recorderId(), "/api/info")) {
            assertThat(relayed.status()).isEqualTo(200);
        }
    }
}
