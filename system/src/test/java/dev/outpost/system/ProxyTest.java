package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.testkit.Squid;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder whose site lets nothing out but a squid CONNECT proxy with Basic auth: it activates and
 * links through the proxy, and viewers reach it by relay. The cloud's name resolves only inside squid,
 * so the recorder has no other way to the cloud.
 */
class ProxyTest {
    static final String CLOUD_NAME = "cloud.outpost.test";

    @Test
    void aRecorderBehindAnAuthenticatingProxyActivatesLinksAndServesViewers(@TempDir Path dir) throws Exception {
        assertThat(resolvable(CLOUD_NAME)).as("the cloud's test name must not resolve outside squid").isFalse();
        try (Site site = Site.start(dir, c -> c.withTls(Optional.empty(), Optional.empty(), List.of(CLOUD_NAME)));
             Squid squid = Squid.builder().basicAuth("site-7", "pr0xy pass").allowConnectPort(site.cloud().port())
                     .resolve(CLOUD_NAME, "127.0.0.1").start()) {
            URI cloudUrl = URI.create("https://" + CLOUD_NAME + ":" + site.cloud().port());
            Recorder recorder = site.recorder("Branch office", cloudUrl,
                    c -> c.withProxy(Optional.of(squid.url().toString())));
            String id = recorder.identity().recorderId();

            OutpostClient viewer = site.admin();
            assertThat(viewer.recorder(id).viaProxy()).isTrue();
            assertThat(recorder.linkStatus().viaProxy()).isTrue();
            try (RelayResponse response = viewer.relayGet(id, "/api/stream?rate=0&limit=5000000")) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(Streams.readPattern(response.body(), 5_000_000)).isEqualTo(-1);
            }

            recorder.close(); // ends the tunnel, so squid logs it
            await().atMost(Duration.ofSeconds(10)).until(() -> squid.accessLog().stream()
                    .filter(line -> line.contains("CONNECT " + CLOUD_NAME + ":" + site.cloud().port()))
                    .filter(line -> line.contains("site-7"))
                    .count() >= 2); // activation, then the link
        }
    }

    @Test
    void wrongProxyCredentialsKeepTheLinkDownWithAReasonThatSaysSo(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir, c -> c.withTls(Optional.empty(), Optional.empty(), List.of(CLOUD_NAME)));
             Squid squid = Squid.builder().basicAuth("site-7", "right").allowConnectPort(site.cloud().port())
                     .resolve(CLOUD_NAME, "127.0.0.1").start()) {
            URI cloudUrl = URI.create("https://" + CLOUD_NAME + ":" + site.cloud().port());
            Recorder first = site.recorder("Branch office", cloudUrl, c -> c.withProxy(Optional.of(squid.url().toString())));
            first.close();
            // Through squid the cloud hears of the close when squid tears the tunnel down, which has been seen to
            // take 10 s; the cloud's own bound is its heartbeat (DEAD_AFTER, 60 s).
            await().atMost(Duration.ofSeconds(70)).until(() -> !site.cloud().links().isOnline(first.identity().recorderId()));

            String wrong = "http://site-7:wrong@" + squid.host() + ":" + squid.port();
            RecorderConfig config = site.recorderConfig(0).withProxy(Optional.of(wrong));
            Recorder again = site.restart(config);
            await().atMost(Duration.ofSeconds(10)).until(() -> again.linkStatus().lastError()
                    .filter(e -> e.contains("407")).isPresent());
            assertThat(again.linkStatus().state()).isNotEqualTo(LinkStatus.State.ONLINE);
            assertThat(site.cloud().links().isOnline(again.identity().recorderId())).isFalse();
        }
    }

    private static boolean resolvable(String name) {
        try {
            InetAddress.getByName(name);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
