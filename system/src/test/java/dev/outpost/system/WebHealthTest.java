package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.testkit.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Health tab in Debian's Chromium: an alert the recorder sent, with the picture of its camera; the day/night
 * image it took at the configured time; and a config backup asked for from the page, listed once it arrived.
 */
class WebHealthTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration ARRIVES = Duration.ofSeconds(45);

    @Test
    void alertsWithTheirPicturesDayNightImagesAndBackupsShowInTheHealthTab(@TempDir Path dir) throws Exception {
        ZoneId zone = ZoneId.systemDefault();
        // Far enough ahead for the cloud and the recorder to have started on a busy machine: a time of day already
        // past when the recorder starts is tomorrow's.
        LocalTime soon = LocalTime.now(zone).plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Yard", config -> config.withSampleCameras(1).withHealth(
                    new HealthSettings(HealthSettings.DEFAULTS.outbox(), Duration.ofMillis(100), Duration.ofSeconds(30),
                            Duration.ofSeconds(60), 0, true, List.of(soon), zone)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            // An alert about the camera with the camera's own picture, 640 wide, as the recorder attaches one.
            byte[] picture = await("a picture of the camera").atMost(ARRIVES).ignoreExceptions().until(() -> {
                try (RelayResponse snapshot = admin.relayGet(id, "/api/cameras/sample-1/snapshot.jpg?stream=sd&width=640")) {
                    return snapshot.status() == 200 ? snapshot.body().readAllBytes() : null;
                }
            }, bytes -> bytes != null && bytes.length > 0);
            OutboxDeliveryTest.addAlert(recorder, "Front door camera offline", picture);

            try (Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                    dir.resolve("cloud").resolve("tls/cloud.crt"))) {
                browser.open("/");
                browser.find("input[name=email]").sendKeys(Site.ADMIN);
                browser.find("input[name=password]").sendKeys(Site.PASSWORD);
                browser.find("#login button[type=submit]").click();
                await("the Health tab").atMost(ARRIVES).until(() -> !browser.findAll("button[data-view=health]").isEmpty());
                browser.find("button[data-view=health]").click();

                // The alert, newest first, with its picture loaded (a real JPEG: the browser decoded it).
                Map<String, Object> alert = await("the alert with its picture").atMost(ARRIVES)
                        .pollInterval(Duration.ofMillis(250)).until(() -> browser.<Map<String, Object>>script("""
                                const row = [...document.querySelectorAll('.health .alerts tbody tr')]
                                  .find((r) => r.textContent.includes('Front door camera offline'));
                                if (!row) return {};
                                const img = row.querySelector('img');
                                return { text: row.textContent, type: row.dataset.type,
                                  width: img && img.complete ? img.naturalWidth : 0 };"""),
                                row -> ((Number) row.getOrDefault("width", 0)).longValue() == 640);
                assertThat(alert.get("type")).isEqualTo("camera-offline");
                assertThat(alert.get("text").toString()).contains("Yard").contains("cam-1").contains("Camera offline");
                // The recorder's own start is an alert too, without a picture.
                await("the recorder's start").atMost(ARRIVES).until(() -> !browser.findAll(
                        ".health .alerts tr[data-type=recorder-restarted]").isEmpty());

                // The day/night image of the camera, at the configured time.
                String slot = String.format("%02d:%02d", soon.getHour(), soon.getMinute());
                await("the day/night image").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                        browser.<Map<String, Object>>script("""
                                const image = document.querySelector(`.health .camera-image-row[data-camera="${arguments[0]}/sample-1"] .camera-image`);
                                if (!image) return {};
                                const img = image.querySelector('img');
                                return { text: image.textContent, width: img.complete ? img.naturalWidth : 0 };""", id),
                        image -> ((Number) image.getOrDefault("width", 0)).longValue() == 640
                                && image.get("text").toString().startsWith(slot));

                // A backup asked for from the page arrives through the outbox and is listed.
                browser.find(".recorder-backups[data-recorder='" + id + "'] button.back-up").click();
                await("the backup listed").atMost(ARRIVES).until(() -> !browser.findAll(
                        ".recorder-backups[data-recorder='" + id + "'] tr[data-backup]").isEmpty());
                browser.script("window.scrollTo(0, 0);");
                browser.screenshot(ARTIFACTS.resolve("health.png"));
            }
        }
    }
}
