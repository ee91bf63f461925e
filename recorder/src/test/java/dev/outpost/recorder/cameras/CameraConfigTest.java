package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Camera configuration: validation that names the field, and no password in what gets printed. */
class CameraConfigTest {
    private static final URI MAIN = URI.create("rtsp://admin:s3cret@192.168.1.20:554/Streaming/Channels/101");
    private static final URI SUB = URI.create("rtsp://admin:s3cret@192.168.1.20:554/Streaming/Channels/102");

    @Test
    void aValidCameraKeepsItsFieldsAndDefaultsToAutoTransport() {
        CameraConfig config = new CameraConfig("front-door", "  Front door ", MAIN, SUB);
        assertThat(config.name()).isEqualTo("Front door");
        assertThat(config.transport()).isEqualTo(RtpTransport.AUTO);
        assertThat(config.url(StreamKind.MAIN)).isEqualTo(MAIN);
        assertThat(config.url(StreamKind.SUB)).isEqualTo(SUB);
    }

    @Test
    void toStringNeverShowsThePassword() {
        CameraConfig config = new CameraConfig("cam1", "Yard", MAIN, SUB, RtpTransport.UDP);
        assertThat(config.toString()).doesNotContain("s3cret").contains("admin:***@192.168.1.20").contains("udp");
        assertThat(CameraConfig.redact(URI.create("rtsp://host/x"))).isEqualTo("rtsp://host/x");
        assertThat(CameraConfig.redact(URI.create("rtsp://onlyuser@host/x"))).isEqualTo("rtsp://onlyuser@host/x");
    }

    @Test
    void badFieldsAreNamedInTheError() {
        assertThatThrownBy(() -> new CameraConfig("", "Yard", MAIN, SUB)).hasMessageContaining("camera id");
        assertThatThrownBy(() -> new CameraConfig("a b", "Yard", MAIN, SUB)).hasMessageContaining("camera id");
        assertThatThrownBy(() -> new CameraConfig("cam1", " ", MAIN, SUB)).hasMessageContaining("name is missing");
        assertThatThrownBy(() -> new CameraConfig("cam1", "Yard", URI.create("http://admin:s3cret@host/x"), SUB))
                .hasMessageContaining("mainUrl must start with rtsp://").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new CameraConfig("cam1", "Yard", MAIN, URI.create("rtsp:///path")))
                .hasMessageContaining("subUrl has no host");
        assertThatThrownBy(() -> new CameraConfig("cam1", "Yard", MAIN, null)).hasMessageContaining("subUrl is missing");
        assertThatThrownBy(() -> new CameraConfig("cam1", "Yard", MAIN, SUB, null)).hasMessageContaining("transport");
    }

    @Test
    void transportLabelsRoundTrip() {
        for (RtpTransport transport : RtpTransport.values()) {
            assertThat(RtpTransport.fromLabel(transport.label())).isEqualTo(transport);
        }
        assertThatThrownBy(() -> RtpTransport.fromLabel("sctp")).hasMessageContaining("auto, tcp or udp");
    }
}
