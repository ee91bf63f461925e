package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.testkit.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * Bandwidth step-down in Debian's Chromium: a tile alone plays HD (4 Mb/s), the browser's network is then held to
 * 2 Mb/s through DevTools network emulation (Selenium's {@code setNetworkConditions}), HD keeps falling behind, and
 * the tile steps down to SD (800 kb/s) by itself, says so, and plays on.
 */
class WebBandwidthTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration PLAYING = Duration.ofSeconds(30);
    private static final int TWO_MEGABITS_IN_BYTES = 250_000;

    @Test
    void anHdTileThatKeepsFallingBehindStepsDownToSdAndSaysSo(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            site.recorder("Shop", c -> c.withSampleCameras(1));
            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    dir.resolve("cloud").resolve("tls/cloud.crt"))) {
                browser.open("/");
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();
                await("the recorder's camera listed").atMost(PLAYING).until(() ->
                        browser.findAll(".recorders .camera").size() == 1);
                browser.find("button[data-layout='1']").click();
                Map<String, Object> hd = awaitTile(browser, "the tile playing HD", PLAYING, t ->
                        "hd".equals(t.get("stream")) && width(t) == SampleSpec.HD_WIDTH && "false".equals(t.get("stepped")));
                assertThat(hd.get("lowBandwidth")).isEqualTo(false);

                // DevTools network emulation holds back the requests that start after it: the grid (one small SD
                // tile), then the network is slowed, then the tile alone again, whose HD stream starts on the slow network.
                browser.find("button[data-layout='4']").click();
                awaitTile(browser, "the small tile playing SD", PLAYING, t -> "sd".equals(t.get("stream"))
                        && width(t) == SampleSpec.SD_WIDTH);
                ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
                slow.setDownloadThroughput(TWO_MEGABITS_IN_BYTES);
                slow.setUploadThroughput(TWO_MEGABITS_IN_BYTES);
                slow.setLatency(Duration.ofMillis(20));
                browser.driver().setNetworkConditions(slow);
                long throttled = System.nanoTime();
                browser.find("button[data-layout='1']").click();

                Map<String, Object> sd = awaitTile(browser, "the tile stepped down to SD", Duration.ofSeconds(90), t ->
                        "sd".equals(t.get("stream")) && "true".equals(t.get("stepped")) && width(t) == SampleSpec.SD_WIDTH
                                && "playing".equals(t.get("state")));
                System.out.printf("web: stepped down to SD %d ms after HD started on a network held to 2 Mb/s (fell behind %s times)%n",
                        (System.nanoTime() - throttled) / 1_000_000, sd.get("behind"));
                assertThat(sd.get("lowBandwidth")).isEqualTo(true);
                assertThat(sd.get("badge")).isEqualTo("SD");
                assertThat(sd.get("label").toString()).contains("SD (low bandwidth)");
                double at = ((Number) sd.get("time")).doubleValue();
                awaitTile(browser, "SD playing on over the slow network", PLAYING, t ->
                        ((Number) t.get("time")).doubleValue() > at + 3 && "sd".equals(t.get("stream")));
                browser.screenshot(ARTIFACTS.resolve("live-low-bandwidth.png"));
            }
        }
    }

    private static long width(Map<String, Object> tile) {
        return ((Number) tile.get("width")).longValue();
    }

    private static Map<String, Object> awaitTile(Chromium browser, String what, Duration within,
                                                 java.util.function.Predicate<Map<String, Object>> condition) {
        return await(what).atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<Map<String, Object>> tiles = browser.script("""
                    return [...document.querySelectorAll('.grid .tile')].map((t) => ({
                      state: t.dataset.state || '', stream: t.dataset.stream || '', stepped: t.dataset.steppedDown || '',
                      badge: t.querySelector('.badge.stream').textContent,
                      lowBandwidth: !t.querySelector('.badge.low-bandwidth').hidden,
                      label: t.getAttribute('aria-label') || '', behind: t.outpostPlayer?.behindCount ?? 0,
                      width: t.querySelector('video').videoWidth, time: t.querySelector('video').currentTime }));""");
            return tiles.size() == 1 ? tiles.getFirst() : Map.<String, Object>of("width", -1, "time", -1);
        }, condition);
    }
}
