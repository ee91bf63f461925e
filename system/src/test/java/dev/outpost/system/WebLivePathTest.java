package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.testkit.Chromium;
import dev.outpost.wire.tls.RecorderCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each live tile of the cloud's web client takes the best path the broker offers and says which: in Debian's
 * Chromium on the recorder's LAN, a browser that trusts the recorder's certificate plays straight from the recorder
 * (cross-origin, the recorder answering the CORS preflight for the cloud's origin), and goes on by relay by itself when
 * the LAN breaks; one that does not trust it falls back to the relay at once.
 */
class WebLivePathTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration PLAYING = Duration.ofSeconds(30);

    @Test
    void aTileUsesTheLanWhenTheBrowserTrustsTheRecorderAndTheRelayWhenItDoesNot(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            UnaryOperator<RecorderConfig> onTheLan = c -> c.withSampleCameras(1)
                    .withLocal(LocalHttpConfig.defaults().withBindAddress("0.0.0.0").withPort(0));
            Recorder recorder = site.recorder("Shop", onTheLan);
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            await("the recorder's local endpoint reported").atMost(Duration.ofSeconds(10))
                    .until(() -> admin.connect(id).paths().size() > 1);
            String recorderOrigin = "https://" + RecorderCertificates.name(id) + ":" + recorder.localPort();
            Path cloudCertificate = dir.resolve("cloud").resolve("tls/cloud.crt");
            List<String> recorderName = List.of("--host-resolver-rules=MAP *" + RecorderCertificates.NAME_SUFFIX
                    + " 127.0.0.1");

            // Trusting the recorder's certificate (as a browser with the cloud's recorder CA installed would): LAN.
            try (Chromium browser = Chromium.start(dir.resolve("chromium-lan"), site.cloud().localUrl(),
                    List.of(cloudCertificate, dir.resolve("recorder-0").resolve("local-tls/chain.pem")), recorderName)) {
                Map<String, Object> tile = playOneTile(browser);
                assertThat(tile).containsEntry("path", "lan").containsEntry("badge", "LAN")
                        .containsEntry("origin", recorderOrigin);
                browser.screenshot(ARTIFACTS.resolve("live-path-lan.png"));

                // The LAN becomes unreachable for this browser (its requests to the recorder's name blocked) and the
                // stream breaks (the recorder restarts): the tile goes on by relay by itself.
                browser.driver().executeCdpCommand("Network.enable", Map.of());
                browser.driver().executeCdpCommand("Network.setBlockedURLs",
                        Map.of("urls", List.of("*" + RecorderCertificates.NAME_SUFFIX + "*")));
                recorder.close();
                site.awaitOnline(site.restart(onTheLan.apply(site.recorderConfig(0))));
                Map<String, Object> after = playOneTileAgain(browser);
                assertThat(after).containsEntry("path", "relay").containsEntry("badge", "Relay");
            }
            // Not trusting it (the default): the LAN attempt fails at the handshake, and the tile plays by relay.
            try (Chromium browser = Chromium.start(dir.resolve("chromium-relay"), site.cloud().localUrl(),
                    List.of(cloudCertificate), recorderName)) {
                Map<String, Object> tile = playOneTile(browser);
                assertThat(tile).containsEntry("path", "relay").containsEntry("badge", "Relay")
                        .containsEntry("origin", site.cloud().localUrl().toString());
            }
        }
    }

    /** Logs in, shows the one camera, and returns its tile once it plays SD. */
    private static Map<String, Object> playOneTile(Chromium browser) {
        browser.open("/");
        browser.find("input[name=email]").sendKeys(Site.ADMIN);
        browser.find("input[name=password]").sendKeys(Site.PASSWORD);
        browser.find("#login button[type=submit]").click();
        await("the live view").atMost(PLAYING).until(() -> !browser.findAll("button[data-layout='4']").isEmpty());
        browser.find("button[data-layout='4']").click();
        return playOneTileAgain(browser);
    }

    /** The one tile, once it plays SD (and has played a second). */
    private static Map<String, Object> playOneTileAgain(Chromium browser) {
        return await("the tile playing SD").atMost(PLAYING).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> tiles = browser.script("""
                    return [...document.querySelectorAll('.grid .tile')].map((t) => ({
                      state: t.dataset.state || '', path: t.dataset.path || '',
                      badge: t.querySelector('.badge.path').textContent,
                      origin: t.outpostPlayer?.session?.url ? new URL(t.outpostPlayer.session.url).origin : '',
                      width: t.querySelector('video').videoWidth, time: t.querySelector('video').currentTime }));""");
            return tiles.size() == 1 ? tiles.getFirst() : Map.<String, Object>of();
        }, t -> "playing".equals(t.get("state")) && ((Number) t.get("width")).longValue() == SampleSpec.SD_WIDTH
                && ((Number) t.get("time")).doubleValue() > 1 && !"…".equals(t.get("badge")));
    }
}
