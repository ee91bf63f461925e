package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.testkit.Chromium;
import dev.outpost.wire.tls.RecorderCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * The web client as a recorder serves it on its own HTTPS port for its LAN, in Debian's Chromium: the page sends the
 * user to the cloud to sign in, the cloud sends them back with a grant for that recorder, and the page plays live
 * video straight from the recorder, and goes on doing so, even after a reload, while the cloud is down; Search plays
 * the recorder's recordings then too.
 *
 * <p>The browser reaches the recorder by the name on its certificate ({@code ID.recorders.outpost.invalid}) mapped
 * to loopback by {@code --host-resolver-rules}, and trusts that certificate (issued by the cloud's recorder CA) by
 * its public key, as it trusts the cloud's. In production a LAN's DNS names the recorder and the admin installs the
 * cloud's recorder CA in the browsers (docs/web.md).
 */
class WebRecorderLocalTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration PLAYING = Duration.ofSeconds(30);

    @Test
    void theRecordersOwnPageSignsInThroughTheCloudAndPlaysOverTheLanWhileTheCloudIsDown(@TempDir Path dir)
            throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Shop", c -> c.withSampleCameras(2)
                    .withLocal(LocalHttpConfig.defaults().withBindAddress("0.0.0.0").withPort(0)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            await("the recorder's local endpoint reported").atMost(Duration.ofSeconds(10))
                    .until(() -> admin.connect(id).paths().size() > 1);
            URI page = URI.create("https://" + RecorderCertificates.name(id) + ":" + recorder.localPort() + "/");
            Path recorderCertificate = dir.resolve("recorder-0").resolve("local-tls/chain.pem");
            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    List.of(dir.resolve("cloud").resolve("tls/cloud.crt"), recorderCertificate),
                    List.of("--host-resolver-rules=MAP *" + RecorderCertificates.NAME_SUFFIX + " 127.0.0.1"))) {
                // The recorder's page sends the user to the cloud's sign-in.
                browser.open(page);
                await("the cloud's sign-in").atMost(PLAYING).until(() ->
                        browser.driver().getCurrentUrl().startsWith(site.cloud().localUrl().toString())
                                && !browser.findAll("#login input[name=email]").isEmpty()
                                && browser.find("#login input[name=email]").isDisplayed());
                assertThat(browser.driver().getCurrentUrl()).contains("sign-in-for=" + id);
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();

                // Back on the recorder's own origin with a grant (taken out of the address), playing over the LAN.
                await("back on the recorder's page").atMost(PLAYING).until(() ->
                        browser.driver().getCurrentUrl().equals(page.toString()));
                awaitTwoTilesPlaying(browser);
                assertThat(browser.<String>script("return document.querySelector('#who').textContent;"))
                        .startsWith("On this network");
                assertThat(mediaOrigins(browser)).as("video fetched from the recorder itself")
                        .containsOnly(page.toString().replaceAll("/$", ""));
                browser.screenshot(ARTIFACTS.resolve("recorder-lan.png"));

                // The cloud goes away: the page keeps playing, and a reload plays again with the grant it holds.
                int cloudPort = site.cloud().port();
                site.stopCloud();
                long before = videoTimeOfFirstTile(browser);
                await("still playing without the cloud").atMost(PLAYING).until(() ->
                        videoTimeOfFirstTile(browser) >= before + 2);
                browser.open(page);
                awaitTwoTilesPlaying(browser);
                assertThat(browser.driver().getCurrentUrl()).isEqualTo(page.toString());

                // Search works without the cloud too: the recorder's timeline, and its recording played from a click.
                browser.find("button[data-view='search']").click();
                new Select(browser.find(".search select[name=span]")).selectByVisibleText("2 min");
                await("a recorded range on the timeline").atMost(PLAYING).until(() ->
                        !browser.findAll(".timeline .range.recorded").isEmpty());
                browser.findAll(".timeline .range.recorded").getFirst().click();
                await("recorded video playing").atMost(PLAYING).pollInterval(Duration.ofMillis(200)).until(() ->
                        browser.<Map<String, Object>>script("""
                                const v = document.querySelector('.search video');
                                return { state: document.querySelector('section.search').dataset.state || '',
                                  width: v.videoWidth, time: v.currentTime };"""),
                        p -> "playing".equals(p.get("state")) && ((Number) p.get("width")).longValue() > 0
                                && ((Number) p.get("time")).doubleValue() > 0.5);
                site.startCloudAgain(cloudPort); // for the site to stop as it started
            }
        }
    }

    private static void awaitTwoTilesPlaying(Chromium browser) {
        await("the live view").atMost(PLAYING).until(() -> !browser.findAll("button[data-layout='4']").isEmpty());
        browser.find("button[data-layout='4']").click();
        await("two tiles playing SD from the recorder over the LAN").atMost(PLAYING).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Map<String, Object>> tiles = browser.script("""
                            return [...document.querySelectorAll('.grid .tile')].map((t) => ({
                              state: t.dataset.state || '', path: t.dataset.path || '',
                              badge: t.querySelector('.badge.path').textContent,
                              width: t.querySelector('video').videoWidth }));""");
                    return tiles.size() == 2 && tiles.stream().allMatch(t -> t.get("state").equals("playing")
                            && t.get("path").equals("lan") && t.get("badge").equals("LAN")
                            && ((Number) t.get("width")).longValue() == SampleSpec.SD_WIDTH);
                });
    }

    private static long videoTimeOfFirstTile(Chromium browser) {
        Number time = browser.script("return document.querySelector('.grid .tile video').currentTime;");
        return (long) time.doubleValue();
    }

    /** The origins the tiles' players fetch their live video from (a stream never ends, so it has no timing entry). */
    private static List<String> mediaOrigins(Chromium browser) {
        return browser.script("""
                return [...new Set([...document.querySelectorAll('.grid .tile')]
                  .map((t) => new URL(t.outpostPlayer.session.url).origin))];""");
    }
}
