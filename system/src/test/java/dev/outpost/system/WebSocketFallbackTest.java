package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.tls.CertificateAuthority;
import dev.outpost.wire.tls.Pem;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a middlebox that terminates TLS and refuses the link's ALPN name, the recorder activates
 * with the site's CA and carries the same link inside a WebSocket; viewers notice nothing.
 */
class WebSocketFallbackTest {

    @Test
    void aTlsTerminatingMiddleboxMakesTheLinkFallBackToWebSocket(@TempDir Path dir) throws Exception {
        CertificateAuthority siteCa = CertificateAuthority.generate("Example Corp inspection CA", Duration.ofDays(1));
        Path caFile = dir.resolve("site-ca.pem");
        Files.writeString(caFile, Pem.write(siteCa.certificate()));
        try (Site site = Site.start(dir);
             TlsMiddlebox middlebox = new TlsMiddlebox(
                     siteCa.issueServer("localhost", List.of("localhost"), Duration.ofDays(1)),
                     new InetSocketAddress("127.0.0.1", site.cloud().port()), site.cloud().certificateFingerprint())) {
            URI throughMiddlebox = URI.create("https://localhost:" + middlebox.port());
            Recorder recorder = site.recorder("Head office", throughMiddlebox,
                    c -> c.withCloudCaFile(Optional.of(caFile)));
            String id = recorder.identity().recorderId();

            assertThat(recorder.identity().pinnedFingerprint()).as("trusted through the site's CA, not pinned").isEmpty();
            assertThat(recorder.linkStatus().transport()).contains("websocket");
            OutpostClient viewer = site.admin();
            assertThat(viewer.recorder(id).transport()).isEqualTo("websocket");
            try (RelayResponse response = viewer.relayGet(id, "/api/stream?rate=0&limit=4000000")) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(Streams.readPattern(response.body(), 4_000_000)).isEqualTo(-1);
            }
            long n = 3_000_000;
            byte[] sent = Streams.sha256(Streams.generated(n, 7));
            try (RelayResponse echo = viewer.relaySend(id, "POST", "/api/echo", "application/octet-stream",
                    Streams.generated(n, 7))) {
                assertThat(Streams.sha256(echo.body())).isEqualTo(sent);
            }
            assertThat(middlebox.tunnels()).as("every byte went through the middlebox").isGreaterThanOrEqualTo(2);
        }
    }
}
