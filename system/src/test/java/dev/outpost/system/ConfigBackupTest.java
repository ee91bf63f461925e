package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.testkit.RtspCamera;
import dev.outpost.wire.api.ConfigBackupView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config backups end to end (issue 7): recorder A with two Digest-auth cameras is backed up on demand from the cloud;
 * the backup shows in the cloud's list, sealed in its object store, and restored onto recorder B, whose cameras then
 * stream with A's credentials.
 */
class ConfigBackupTest {
    @Test
    void aBackupOfOneRecorderRestoredOntoAnotherBringsItsCamerasWithWorkingCredentials(@TempDir Path dir)
            throws Exception {
        try (RtspCamera door = RtspCamera.builder().digestAuth("admin", "door pw 1").start();
             RtspCamera yard = RtspCamera.builder().digestAuth("viewer", "yard pw 2").start();
             Site site = Site.start(dir)) {
            Recorder a = site.recorder("Shop", c -> c.withCameras(List.of(
                    new CameraConfig("door", "Front door", door.url(RtspCamera.MAIN), door.url(RtspCamera.SUB)),
                    new CameraConfig("yard", "Yard", yard.url(RtspCamera.MAIN), yard.url(RtspCamera.SUB)))));
            Recorder b = site.recorder("Replacement");
            String idA = a.identity().recorderId();
            String idB = b.identity().recorderId();
            OutpostClient admin = site.admin();
            assertThat(b.cameras().cameras()).isEmpty();

            admin.requestBackup(idA);
            List<ConfigBackupView> backups = await("the backup in the cloud's list").atMost(Duration.ofSeconds(20))
                    .until(() -> admin.backups(idA), list -> !list.isEmpty());
            assertThat(backups).singleElement().satisfies(view -> {
                assertThat(view.recorderId()).isEqualTo(idA);
                assertThat(view.cameras()).isEqualTo(2);
            });
            assertThat(admin.backups(idB)).isEmpty();
            try (var files = Files.walk(dir.resolve("cloud"))) {
                List<Path> stored = files.filter(Files::isRegularFile)
                        .filter(f -> f.toString().contains("config-backup")).toList();
                assertThat(stored).hasSize(1);
                for (Path file : stored) {
                    assertThat(Files.readString(file)).as("stored backup " + file).contains("Front door")
                            .doesNotContain("door pw 1", "yard pw 2", "door%20pw%201", "yard%20pw%202");
                }
            }

            assertThat(admin.restore(idB, backups.getFirst().id())).isEqualTo(2);
            assertThat(b.cameras().cameras()).extracting(Camera::config)
                    .containsExactlyElementsOf(a.cameras().cameras().stream().map(Camera::config).toList());
            await("B's restored cameras stream with A's credentials").atMost(Duration.ofSeconds(60))
                    .until(() -> b.cameras().cameras().stream()
                            .allMatch(c -> c.main().status().state() == CameraStatus.State.STREAMING));
            assertThat(Files.readString(dir.resolve("recorder-1/cameras.json"))).as("persisted")
                    .contains("\"door\"", "\"yard\"");
        }
    }
}
