package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.cli.RecorderCommand;
import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.wire.api.CameraImageView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health settings written in the recorder's YAML file, as {@code outpost recorder --config} reads them, take effect. */
class HealthConfigTest {

    @Test
    void theConfigFilesDayNightTimeInItsTimeZoneSendsEachCamerasPicture(@TempDir Path dir) throws Exception {
        ZoneId zone = ZoneId.of("Asia/Kolkata"); // +05:30: a zone whose offset no whole-hour mistake matches
        try (Site site = Site.start(dir)) {
            // After the cloud is up (seconds on a loaded machine), and with room for the recorder's start.
            LocalTime soon = LocalTime.now(zone).plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
            Path file = dir.resolve("recorder.yaml");
            Files.writeString(file, """
                    sample-cameras: 1
                    health-check-seconds: 1
                    time-zone: %s
                    day-night-times: ["%s"]
                    """.formatted(zone, soon.format(DateTimeFormatter.ISO_LOCAL_TIME)));
            RecorderConfig parsed = RecorderCommand.configOf(Map.of(), "--config", file.toString());
            assertThat(parsed.health().checkEvery()).isEqualTo(Duration.ofSeconds(1));

            Recorder recorder = site.recorder("Yard", config -> config.withSampleCameras(parsed.samples().count())
                    .withHealth(parsed.health()));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            await("the day/night image in the cloud").atMost(Duration.ofSeconds(60))
                    .until(() -> !admin.cameraImages(Optional.of(id), Optional.empty(), 10).isEmpty());
            List<CameraImageView> images = admin.cameraImages(Optional.of(id), Optional.empty(), 10);
            assertThat(images).extracting(CameraImageView::cameraId).containsExactly("sample-1");
            assertThat(images.getFirst().slot()).isEqualTo(String.format("%02d:%02d", soon.getHour(), soon.getMinute()));
        }
    }
}
