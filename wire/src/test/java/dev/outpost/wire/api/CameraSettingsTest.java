package dev.outpost.wire.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The camera records as JSON: left-out fields, the password's three states, and what never shows. */
class CameraSettingsTest {
    @Test
    void leftOutFieldsReadAsEmptyAndAPasswordLeftOutIsToldFromAnEmptyOne() {
        CameraSettings bare = read("{\"name\": \"Front\"}");
        assertThat(bare).isEqualTo(new CameraSettings("", "Front", "", "", "", Optional.empty(), ""));
        assertThat(read("{\"password\": null}").password()).isEmpty();
        assertThat(read("{\"password\": \"\"}").password()).contains("");
        assertThat(read("{\"password\": \"s3cret\"}").password()).contains("s3cret");
    }

    @Test
    void toStringNeverShowsThePassword() {
        CameraSettings settings = new CameraSettings("front", "Front", "rtsp://admin:s3cret@h/1", "rtsp://h/2",
                "admin", Optional.of("s3cret"), "tcp");
        assertThat(settings.toString()).doesNotContain("s3cret").contains("rtsp://***@h/1").contains("admin");
        assertThat(new CameraSettings("a", "A", "rtsp://admin:p@ss@h/1", "", "", Optional.empty(), "").toString())
                .doesNotContain("ss@").contains("rtsp://***@h/1");
    }

    @Test
    void aCameraViewRoundTripsWithAndWithoutSettings() {
        CameraView.Stream hd = new CameraView.Stream("hd", "STREAMING", Instant.parse("2026-11-23T12:00:00Z"), "",
                1280, 720, 15.0, 4_000_000, 0, "RECORDING", "");
        CameraView real = new CameraView("front", "Front", Optional.of(new CameraView.Settings("rtsp://h/1",
                "rtsp://h/2", "admin", true, "auto")), List.of(hd));
        CameraView sample = new CameraView("sample-1", "Sample 1", List.of(hd));
        assertThat(Json.read(Json.write(real), CameraView.class)).isEqualTo(real);
        assertThat(Json.read(Json.write(sample), CameraView.class)).isEqualTo(sample);
        assertThat(new String(Json.write(real), StandardCharsets.UTF_8)).contains("\"hasPassword\":true");
    }

    private static CameraSettings read(String json) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), CameraSettings.class);
    }
}
