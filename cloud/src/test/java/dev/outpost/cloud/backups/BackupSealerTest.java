package dev.outpost.cloud.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.outbox.ConfigBackup;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupSealerTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static ConfigBackup backup() {
        return new ConfigBackup(ConfigBackup.FORMAT, "r-1", Instant.parse("2026-11-24T00:00:00Z"), List.of(
                new ConfigBackup.Camera("door", "Front door", "rtsp://admin:s3cr3t-pw@10.0.0.5/main",
                        "rtsp://admin:s3cr3t-pw@10.0.0.5/sub", "tcp"),
                new ConfigBackup.Camera("yard", "Yard", "rtsp://viewer:yard-pass@10.0.0.6/1",
                        "rtsp://viewer:yard-pass@10.0.0.6/2", "udp")));
    }

    @Test
    void storedBytesNeverHoldCredentialsAndOpenBackWhole() {
        byte[] key = key();
        BackupSealer sealer = new BackupSealer(key, "o-1", RANDOM);
        byte[] stored = sealer.seal(backup()).toJson();
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("s3cr3t-pw", "yard-pass", "admin:", "10.0.0.5").contains("Front door");
        ConfigBackup read = ConfigBackup.parse(stored);
        assertThat(new BackupSealer(key, "o-1", RANDOM).open(read)).isEqualTo(backup());
    }

    @Test
    void anotherKeyOrOrganizationOrMovedFieldDoesNotOpen() {
        byte[] key = key();
        ConfigBackup sealed = new BackupSealer(key, "o-1", RANDOM).seal(backup());
        assertThatThrownBy(() -> new BackupSealer(key(), "o-1", RANDOM).open(sealed))
                .hasMessageContaining("camera door mainUrl does not open");
        assertThatThrownBy(() -> new BackupSealer(key, "o-2", RANDOM).open(sealed))
                .hasMessageContaining("does not open");
        ConfigBackup.Camera door = sealed.cameras().get(0);
        ConfigBackup swapped = sealed.withCameras(List.of(new ConfigBackup.Camera("door", "Front door",
                door.subUrl(), door.mainUrl(), "tcp")));
        assertThatThrownBy(() -> new BackupSealer(key, "o-1", RANDOM).open(swapped))
                .hasMessageContaining("camera door mainUrl does not open");
        ConfigBackup clear = backup();
        assertThatThrownBy(() -> new BackupSealer(key, "o-1", RANDOM).open(clear))
                .hasMessageContaining("camera door mainUrl is not sealed");
    }
}
