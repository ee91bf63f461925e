package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.link.LinkTransport;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorder told to use the WebSocket transport links over it and serves viewers as over HTTP/2. */
class WebSocketTransportTest {

    @Test
    void theWebSocketTransportCarriesTheSameRelay(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Kiosk", c -> c.withLinkTransport(Optional.of(LinkTransport.WEBSOCKET)));
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.admin();
            assertThat(viewer.recorder(id).transport()).isEqualTo("websocket");
            long started = System.nanoTime();
            try (RelayResponse response = viewer.relayGet(id, "/api/stream?rate=0&limit=5000000")) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(Streams.readPattern(response.body(), 5_000_000)).isEqualTo(-1);
            }
            System.out.printf("5 MB over the WebSocket transport in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
    }
}
