package dev.outpost.wire.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBackupTest {
    private static final ConfigBackup.Camera DOOR = new ConfigBackup.Camera("door", "Front door",
            "rtsp://u:p@h/main", "rtsp://u:p@h/sub", "tcp");

    @Test
    void roundTrips() {
        ConfigBackup backup = new ConfigBackup(ConfigBackup.FORMAT, "r-1", Instant.parse("2026-11-24T00:00:00Z"),
                List.of(DOOR));
        assertThat(ConfigBackup.parse(backup.toJson())).isEqualTo(backup);
    }

    @Test
    void badDocumentsNameTheirField() {
        assertThatThrownBy(() -> parse("{\"format\":2,\"recorderId\":\"r\",\"takenAt\":\"2026-11-24T00:00:00Z\"}"))
                .hasMessageContaining("format 2");
        assertThatThrownBy(() -> parse("{\"format\":1,\"takenAt\":\"2026-11-24T00:00:00Z\"}"))
                .hasMessageContaining("recorderId missing");
        assertThatThrownBy(() -> parse("{\"format\":1,\"recorderId\":\"r\",\"takenAt\":\"2026-11-24T00:00:00Z\","
                + "\"cameras\":[{\"id\":\"a\",\"name\":\"A\",\"mainUrl\":\"x\",\"transport\":\"tcp\"}]}"))
                .hasMessageContaining("cameras[0].subUrl missing");
        assertThatThrownBy(() -> parse("{\"format\":1,\"recorderId\":\"r\",\"takenAt\":\"2026-11-24T00:00:00Z\","
                + "\"cameras\":[" + cam() + "," + cam() + "]}"))
                .hasMessageContaining("cameras[1].id repeats");
        assertThatThrownBy(() -> parse("[1,2")).hasMessageContaining("not a JSON document");
        assertThatThrownBy(() -> ConfigBackup.parse(new byte[ConfigBackup.MAX_BYTES + 1]))
                .hasMessageContaining("more than");
    }

    @Test
    void mangledDocumentsAreRefusedWithIllegalArgumentExceptionOnly() {
        byte[] valid = new ConfigBackup(ConfigBackup.FORMAT, "r-1", Instant.parse("2026-11-24T00:00:00Z"),
                List.of(DOOR, new ConfigBackup.Camera("yard", "Yard", "rtsp://y/1", "rtsp://y/2", "udp"))).toJson();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] mangled = java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
            for (int flips = random.nextInt(4); flips > 0; flips--) {
                mangled[random.nextInt(mangled.length)] = (byte) random.nextInt(256);
            }
            try {
                ConfigBackup.parse(mangled);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).startsWith("config backup: ");
            }
        }
    }

    private static String cam() {
        return "{\"id\":\"a\",\"name\":\"A\",\"mainUrl\":\"x\",\"subUrl\":\"y\",\"transport\":\"tcp\"}";
    }

    private static ConfigBackup parse(String json) {
        return ConfigBackup.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
