package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.wire.api.CameraImageView;
import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.json.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At a configured time of day, the recorder sends a picture of each camera, and the cloud lists and serves it. */
class DayNightImageTest {

    @Test
    void atTheConfiguredTimeEachCamerasPictureReachesTheCloud(@TempDir Path dir) throws Exception {
        ZoneId zone = ZoneId.of("Europe/Paris");
        try (Site site = Site.start(dir)) {
            // After the cloud is up (seconds on a loaded machine), and with room for the recorder's start.
            LocalTime soon = LocalTime.now(zone).plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
            Recorder recorder = site.recorder("Yard", config -> config.withSampleCameras(1).withHealth(
                    new HealthSettings(HealthSettings.DEFAULTS.outbox(), Duration.ofMillis(100), Duration.ofSeconds(30),
                            Duration.ofSeconds(60), 0, true, List.of(soon), zone)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();

            await("the day/night image in the cloud").atMost(Duration.ofSeconds(30))
                    .until(() -> !admin.cameraImages(Optional.of(id), Optional.empty(), 10).isEmpty());
            CameraImageView image = admin.cameraImages(Optional.of(id), Optional.of("sample-1"), 10).getFirst();
            assertThat(image.slot()).isEqualTo(String.format("%02d:%02d", soon.getHour(), soon.getMinute()));
            assertThat(image.recorderName()).isEqualTo("Yard");
            assertThat(image.width()).isEqualTo(640);
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(admin.cameraImage(image.id())));
            assertThat(picture.getWidth()).isEqualTo(640);
            assertThat(picture.getHeight()).isEqualTo(image.height()).isPositive();
            assertThat(admin.cameraImage(image.id())).hasSize((int) image.bytes());

            await("counted as sent").atMost(Duration.ofSeconds(10)).until(() -> recorder.outbox().size() == 0);
            try (RelayResponse usage = admin.relayGet(id, "/api/usage")) {
                DataUsageView view = Json.read(usage.body().readAllBytes(), DataUsageView.class);
                assertThat(view.last30Days().get("day-night-images")).isGreaterThan(image.bytes());
            }
            assertThat(admin.cameraImages(Optional.of(id), Optional.empty(), 10)).as("one time, one camera: one image")
                    .hasSize(1);
        }
    }
}
