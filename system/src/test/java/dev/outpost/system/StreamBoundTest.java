package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Past the configured number of relayed requests per recorder the relay answers 503, and recovers. */
class StreamBoundTest {

    @Test
    void theRelayAnswers503PastTheBoundAndServesAgainOnceStreamsEnd(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir, c -> c.withMaxStreamsPerRecorder(3))) {
            Recorder recorder = site.recorder("Small shop");
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.admin();
            RelayResponse first = viewer.relayGet(id, "/api/stream?rate=10000");
            RelayResponse second = viewer.relayGet(id, "/api/stream?rate=10000");
            RelayResponse third = viewer.relayGet(id, "/api/stream?rate=10000");
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(third.status()).isEqualTo(200);

            try (RelayResponse refused = viewer.relayGet(id, "/api/info")) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(new String(refused.body().readAllBytes())).contains("\"busy\"").contains("3 relayed requests");
            }

            first.close();
            await("a stream slot is free again").atMost(Duration.ofSeconds(10)).until(() -> {
                try (RelayResponse again = viewer.relayGet(id, "/api/info")) {
                    again.body().readAllBytes();
                    return again.status() == 200;
                }
            });
            second.close();
            third.close();
        }
    }
}
