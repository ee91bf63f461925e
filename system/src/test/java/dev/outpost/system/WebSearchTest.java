package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.Chromium;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.wire.api.RecordingsView;
import dev.outpost.wire.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Search playback in Debian's Chromium: a sample camera records, its recorder stops and starts again, and the
 * timeline shows two recorded ranges with the gap between them; clicking a recorded range plays video captured
 * at that time; "Back to live" shows the camera live.
 */
class WebSearchTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theTimelineShowsRecordingsAndGapsAndPlaysFromTheTimeClicked(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            RecorderConfig config = site.recorderConfig(0).withSampleCameras(1);
            Recorder first = site.recorder("Shop", c -> c.withSampleCameras(1));
            String recorderId = first.identity().recorderId();
            OutpostClient viewer = site.admin();
            awaitRecordedSeconds(viewer, recorderId, 6);
            first.close();
            long down = System.nanoTime();

            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    dir.resolve("cloud").resolve("tls/cloud.crt"))) {
                // Meanwhile the recorder is down: long enough (over 2 s) for the timeline to show a gap.
                browser.open("/");
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();
                await("recorder listed offline").atMost(WAIT).until(() -> browser.findAll(".recorders .state.offline").size() == 1);
                await("an outage of 3 s").atMost(WAIT).until(() -> System.nanoTime() - down > 3_000_000_000L);
                Recorder again = site.restart(config);
                site.awaitOnline(again);
                try {
                    await("a second recorded range").atMost(WAIT).until(() -> recorded(viewer, recorderId).size() >= 2
                            && seconds(recorded(viewer, recorderId).getLast()) >= 4);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + " ranges now: " + ranges(viewer, recorderId), e);
                }
                await("cameras listed").atMost(WAIT).until(() -> browser.findAll(".recorders .camera").size() == 1);

                browser.find("button[data-view='search']").click();
                new Select(browser.find(".search select[name=span]")).selectByVisibleText("2 min");
                await("timeline with two recordings and the gap between").atMost(WAIT).until(() -> {
                    List<String> kinds = browser.findAll(".timeline .range").stream().map(e -> e.getAttribute("class")).toList();
                    int firstRecorded = kinds.indexOf("range recorded");
                    int lastRecorded = kinds.lastIndexOf("range recorded");
                    return firstRecorded >= 0 && lastRecorded > firstRecorded + 1
                            && kinds.subList(firstRecorded, lastRecorded).contains("range gap");
                });
                List<WebElement> gaps = browser.findAll(".timeline .range.gap");
                assertThat(gaps).anySatisfy(gap -> assertThat(gap.getAttribute("title")).contains("gap: "));

                // Click the middle of the first recording: the video shown was captured about then.
                WebElement recording = browser.findAll(".timeline .range.recorded").getFirst();
                Instant start = Instant.parse(recording.getAttribute("data-start"));
                Instant end = Instant.parse(recording.getAttribute("data-end"));
                Instant clicked = start.plus(Duration.between(start, end).dividedBy(2));
                recording.click();
                awaitPlayer(browser, "playing from the time clicked", shown -> "playing".equals(shown.get("state"))
                        && ((Number) shown.get("width")).intValue() == SampleSpec.HD_WIDTH
                        && ((Number) shown.get("time")).doubleValue() > 0.5);
                long cursor = Long.parseLong(browser.find("section.search").getAttribute("data-cursor-ms"));
                // Playback starts at the keyframe at or before the time asked (a GOP is 2 s), then moves on.
                assertThat(Instant.ofEpochMilli(cursor)).isBetween(clicked.minusSeconds(3), end.plusSeconds(1));
                browser.screenshot(ARTIFACTS.resolve("search-timeline.png"));

                // The Snapshot link gives a JPEG of the picture at the playhead.
                Map<String, Object> snapshot = browser.script("""
                        return fetch(document.querySelector('a.snapshot').href).then(async (r) => {
                          const bitmap = await createImageBitmap(await r.blob());
                          return { status: r.status, type: r.headers.get('content-type'), width: bitmap.width,
                            capture: r.headers.get('x-outpost-capture-time') || '' };
                        });""");
                assertThat(snapshot).containsEntry("status", 200L).containsEntry("type", "image/jpeg")
                        .containsEntry("width", (long) SampleSpec.HD_WIDTH);
                assertThat(Instant.parse((String) snapshot.get("capture"))).isBetween(clicked.minusSeconds(3), end.plusSeconds(1));

                // 4x from the first recording's start: the capture clock runs about four times as fast as the video's.
                browser.find("button[data-speed='4']").click();
                WebElement firstRecording = browser.findAll(".timeline .range.recorded").getFirst();
                new org.openqa.selenium.interactions.Actions(browser.driver())
                        .moveToElement(firstRecording, -firstRecording.getSize().getWidth() / 2 + 2, 0).click().perform();
                awaitPlayer(browser, "playing at 4x", shown -> "playing".equals(shown.get("state"))
                        && ((Number) shown.get("time")).doubleValue() > 0.2);
                double media0 = ((Number) player(browser).get("time")).doubleValue();
                long capture0 = Long.parseLong(browser.find("section.search").getAttribute("data-cursor-ms"));
                await("video advancing at 4x").atMost(WAIT).until(() -> ((Number) player(browser).get("time")).doubleValue() > media0 + 0.5);
                double media1 = ((Number) player(browser).get("time")).doubleValue();
                long capture1 = Long.parseLong(browser.find("section.search").getAttribute("data-cursor-ms"));
                assertThat((capture1 - capture0) / 1000.0 / (media1 - media0)).isBetween(2.5, 5.5);

                browser.find(".search button.back-to-live").click();
                await("the camera live again").atMost(WAIT).until(() -> browser.findAll(".grid .tile[data-state='playing']").size() == 1);
            }
        }
    }

    private static void awaitPlayer(Chromium browser, String what, java.util.function.Predicate<Map<String, Object>> until) {
        try {
            await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> player(browser), until);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nplayer: " + browser.script("""
                    const s = document.querySelector('section.search'); const v = s.querySelector('video');
                    return JSON.stringify({ data: s.dataset, status: s.querySelector('.status').textContent,
                      t: v.currentTime, ready: v.readyState, paused: v.paused, ended: v.ended, error: v.error?.message,
                      buffered: [...Array(v.buffered.length).keys()].map((i) => [v.buffered.start(i), v.buffered.end(i)]) });"""), e);
        }
    }

    private static Map<String, Object> player(Chromium browser) {
        return browser.script("""
                const v = document.querySelector('.search video');
                return { state: document.querySelector('section.search').dataset.state || '', width: v.videoWidth,
                  time: v.currentTime };""");
    }

    private static List<RecordingsView.Range> recorded(OutpostClient viewer, String recorderId) throws Exception {
        try (RelayResponse response = viewer.relayGet(recorderId, "/api/cameras/sample-1/recordings?stream=hd")) {
            assertThat(response.status()).isEqualTo(200);
            return Json.read(response.body().readAllBytes(), RecordingsView.class).ranges().stream()
                    .filter(RecordingsView.Range::recorded).toList();
        }
    }

    private static String ranges(OutpostClient viewer, String recorderId) throws Exception {
        try (RelayResponse response = viewer.relayGet(recorderId, "/api/cameras/sample-1/recordings?stream=hd")) {
            return new String(response.body().readAllBytes());
        }
    }

    private static double seconds(RecordingsView.Range range) {
        return Duration.between(range.start(), range.end()).toMillis() / 1000.0;
    }

    static void awaitRecordedSeconds(OutpostClient viewer, String recorderId, double wanted) {
        await(wanted + " s recorded").atMost(WAIT).until(() ->
                recorded(viewer, recorderId).stream().mapToDouble(WebSearchTest::seconds).sum() >= wanted);
    }
}
