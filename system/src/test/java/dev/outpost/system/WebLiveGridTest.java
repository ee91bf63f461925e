package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.Chromium;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.samples.SampleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * The web client's live view in Debian's Chromium against a real cloud and a recorder with four sample cameras:
 * log in, a 4-tile grid plays SD, one tile plays HD, a tile overridden to HD plays HD, and when the recorder
 * stops the tiles say it is offline, then play again by themselves when it returns.
 */
class WebLiveGridTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration PLAYING = Duration.ofSeconds(30);

    /** What one tile shows, read from the page. */
    record Tile(String camera, String stream, String state, String badge, String status, long videoWidth,
                double currentTime, double latencyMs) {
        static Tile of(Map<String, Object> m) {
            return new Tile((String) m.get("camera"), (String) m.get("stream"), (String) m.get("state"),
                    (String) m.get("badge"), (String) m.get("status"), number(m, "width").longValue(),
                    number(m, "time").doubleValue(), number(m, "latency").doubleValue());
        }

        private static Number number(Map<String, Object> m, String key) {
            return m.get(key) instanceof Number n ? n : -1; // NaN crosses WebDriver's JSON as null
        }
    }

    @Test
    void liveGridPlaysSdInFourTilesHdAloneAndSaysWhenTheRecorderIsOffline(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            RecorderConfig config = site.recorderConfig(0).withSampleCameras(4);
            Recorder recorder = site.recorder("Shop", c -> c.withSampleCameras(4));
            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    dir.resolve("cloud").resolve("tls/cloud.crt"))) {
                browser.open("/");
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();

                // The recorder list shows the recorder online with its four cameras.
                await("recorder listed with its cameras").atMost(PLAYING).until(() ->
                        browser.findAll(".recorders .camera").size() == 4);
                assertThat(browser.find(".recorders .state").getText()).isEqualTo("online");

                browser.find("button[data-layout='4']").click();
                long opened = System.nanoTime();
                List<Tile> grid = awaitTiles(browser, "four tiles playing SD", 4,
                        t -> t.state().equals("playing") && t.videoWidth() == SampleSpec.SD_WIDTH);
                System.out.printf("web: 4-tile grid playing %d ms after choosing the layout%n",
                        (System.nanoTime() - opened) / 1_000_000);
                assertThat(grid).extracting(Tile::camera).containsExactly(
                        keys(recorder, "sample-1", "sample-2", "sample-3", "sample-4"));
                assertThat(grid).allSatisfy(t -> {
                    assertThat(t.stream()).isEqualTo("sd");
                    assertThat(t.badge()).isEqualTo("SD");
                });
                awaitAdvancing(browser, 4);
                browser.screenshot(ARTIFACTS.resolve("live-grid.png"));
                System.out.printf("web: live latency of the four tiles (ms): %s%n",
                        tiles(browser).stream().map(t -> Math.round(t.latencyMs())).toList());

                // One tile, from the keyboard (Enter on a focused tile): larger than the SD picture, so HD.
                browser.find(".tile[data-camera$='/sample-1']").sendKeys(org.openqa.selenium.Keys.ENTER);
                awaitTiles(browser, "one tile playing HD", 1,
                        t -> t.state().equals("playing") && t.videoWidth() == SampleSpec.HD_WIDTH && t.badge().equals("HD"));
                awaitAdvancing(browser, 1);
                browser.screenshot(ARTIFACTS.resolve("live-one.png"));

                // Back to the grid, and the second tile overridden to HD: that tile alone plays HD.
                browser.find("button[data-layout='4']").click();
                awaitTiles(browser, "four tiles playing SD again", 4,
                        t -> t.state().equals("playing") && t.videoWidth() == SampleSpec.SD_WIDTH);
                new Select(browser.find(".tile:nth-child(2) select.stream-choice")).selectByValue("hd");
                List<Tile> overridden = awaitTiles(browser, "second tile playing HD", 4, t -> t.state().equals("playing")
                        && t.videoWidth() == (t.camera().endsWith("/sample-2") ? SampleSpec.HD_WIDTH : SampleSpec.SD_WIDTH));
                assertThat(overridden.get(1).badge()).isEqualTo("HD");
                browser.screenshot(ARTIFACTS.resolve("live-grid-override.png"));

                // The override is remembered for this user: a reload keeps it.
                browser.open("/");
                awaitTiles(browser, "override kept after reload", 4, t -> t.state().equals("playing")
                        && t.stream().equals(t.camera().endsWith("/sample-2") ? "hd" : "sd"));

                // The recorder stops: every tile says so within seconds.
                recorder.close();
                long stopped = System.nanoTime();
                awaitTiles(browser, "tiles offline", 4, Duration.ofSeconds(10),
                        t -> t.state().equals("offline") && t.status().contains("offline"));
                System.out.printf("web: tiles offline %d ms after the recorder stopped%n", (System.nanoTime() - stopped) / 1_000_000);
                await("recorder listed offline").atMost(Duration.ofSeconds(10)).until(() ->
                        "offline".equals(recorderState(browser)));
                browser.screenshot(ARTIFACTS.resolve("live-grid-offline.png"));

                // It returns: the tiles play again by themselves.
                Recorder again = site.restart(config);
                site.awaitOnline(again);
                long back = System.nanoTime();
                awaitTiles(browser, "tiles playing after the recorder returned", 4, t -> t.state().equals("playing")
                        && t.videoWidth() > 0 && t.status().isEmpty());
                System.out.printf("web: tiles playing %d ms after the recorder was back online%n", (System.nanoTime() - back) / 1_000_000);
                awaitAdvancing(browser, 4);
                await("recorder listed online again").atMost(Duration.ofSeconds(10)).until(() ->
                        "online".equals(recorderState(browser)));

                // At a phone's width the grid collapses to one column, and the tiles, now small, stay SD.
                new Select(browser.find(".tile:nth-child(2) select.stream-choice")).selectByValue("auto");
                browser.resize(390, 844);
                await("one column of tiles").atMost(PLAYING).until(() -> browser.<List<Number>>script(
                        "return [...document.querySelectorAll('.grid .tile')].map((t) => t.getBoundingClientRect().left);")
                        .stream().map(Number::longValue).distinct().count() == 1);
                awaitTiles(browser, "phone tiles playing SD", 4,
                        t -> t.state().equals("playing") && t.videoWidth() == SampleSpec.SD_WIDTH);
                browser.screenshot(ARTIFACTS.resolve("live-phone.png"));
            }
        }
    }

    /**
     * Sixteen tiles at once: sixteen live streams over the relay, which a browser can only carry on HTTP/2 (over
     * HTTP/1.1 it stops at six connections per host, and the rest would wait). Sixteen sample cameras share the four
     * sample clips, so nothing more is encoded.
     */
    @Test
    void sixteenTilesAllPlaySdOverHttp2(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Warehouse", c -> c.withSampleCameras(16, 4,
                    dev.outpost.recorder.samples.SampleVideo.defaultCacheDir()));
            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    dir.resolve("cloud").resolve("tls/cloud.crt"))) {
                browser.open("/");
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();
                await("recorder listed with its cameras").atMost(PLAYING).until(() ->
                        browser.findAll(".recorders .camera").size() == 16);
                assertThat(browser.<String>script("return performance.getEntriesByType('navigation')[0].nextHopProtocol;"))
                        .as("the page came over HTTP/2").isEqualTo("h2");

                browser.find("button[data-layout='16']").click();
                List<Tile> grid = awaitTiles(browser, "sixteen tiles playing SD", 16,
                        t -> t.state().equals("playing") && t.videoWidth() == SampleSpec.SD_WIDTH);
                assertThat(grid).extracting(Tile::stream).containsOnly("sd");
                assertThat(grid).extracting(Tile::camera).doesNotHaveDuplicates()
                        .allMatch(c -> c.startsWith(recorder.identity().recorderId() + "/sample-"));
                awaitAdvancing(browser, 16);
                browser.screenshot(ARTIFACTS.resolve("live-grid-16.png"));
            }
        }
    }

    private static String[] keys(Recorder recorder, String... cameras) {
        String id = recorder.identity().recorderId();
        return java.util.Arrays.stream(cameras).map(c -> id + "/" + c).toArray(String[]::new);
    }

    private static List<Tile> tiles(Chromium browser) {
        List<Map<String, Object>> raw = browser.script("""
                return [...document.querySelectorAll('.grid .tile')].map((t) => ({
                  camera: t.dataset.camera, stream: t.dataset.stream || '', state: t.dataset.state || '',
                  badge: t.querySelector('.badge.stream').textContent,
                  status: t.querySelector('.status').hidden ? '' : t.querySelector('.status').textContent,
                  width: t.querySelector('video').videoWidth, time: t.querySelector('video').currentTime,
                  latency: Number(t.dataset.latencyMs ?? -1) }));""");
        return raw.stream().map(Tile::of).toList();
    }

    private static List<Tile> awaitTiles(Chromium browser, String what, int count, Predicate<Tile> each) {
        return awaitTiles(browser, what, count, PLAYING, each);
    }

    private static List<Tile> awaitTiles(Chromium browser, String what, int count, Duration within, Predicate<Tile> each) {
        try {
            return await(what).atMost(within).pollInterval(Duration.ofMillis(100))
                    .until(() -> tiles(browser), tiles -> tiles.size() == count && tiles.stream().allMatch(each));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nplayers: " + diagnostics(browser), e);
        }
    }

    /** How each tile's player and video are doing, for a failure's message. */
    private static String diagnostics(Chromium browser) {
        return browser.script("""
                return [...document.querySelectorAll('.grid .tile')].map((t) => {
                  const p = t.outpostPlayer || {}; const v = t.querySelector('video');
                  return `${t.dataset.camera}: ${p.state}/${p.phase} bytes=${p.bytesReceived} frames=${p.framesReceived}
                    error=${p.lastError?.message} ready=${v.readyState} network=${v.networkState} videoError=${v.error?.message}`;
                }).join('; ');""");
    }

    /** Every tile's video time moves on by a second: pictures are being shown, not a frozen first frame. */
    private static void awaitAdvancing(Chromium browser, int count) {
        List<Tile> before = tiles(browser);
        assertThat(before).hasSize(count);
        await("every tile's video advancing").atMost(PLAYING).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Tile> now = tiles(browser);
            if (now.size() != count) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (now.get(i).currentTime() < before.get(i).currentTime() + 1.0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * The recorder list's state label, read in one script call: the list is re-rendered as states change, so an
     * element found first and read afterwards may already be gone.
     */
    private static String recorderState(Chromium browser) {
        return browser.script("const e = document.querySelector('.recorders .state'); return e ? e.textContent : null;");
    }
}
