package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
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

    @Test
    void separateCredentialsGoIntoBothUrlsAndComeApartAgain() {
        CameraConfig config = CameraConfig.of("cam1", "Yard", "rtsp://192.168.1.20/ch1?profile=1", "rtsp://[fd00::20]:8554/ch2",
                Optional.of(new CameraConfig.Credentials("admin", "p@ss:w/rd+é %")), RtpTransport.TCP);
        assertThat(config.mainUrl().getRawUserInfo()).isEqualTo("admin:p%40ss%3Aw%2Frd%2B%C3%A9%20%25");
        assertThat(config.mainUrl().getHost()).isEqualTo("192.168.1.20");
        assertThat(config.subUrl().getHost()).isEqualTo("[fd00::20]");
        assertThat(config.credentials()).contains(new CameraConfig.Credentials("admin", "p@ss:w/rd+é %"));
        assertThat(config.bareUrl(StreamKind.MAIN)).isEqualTo(URI.create("rtsp://192.168.1.20/ch1?profile=1"));
        assertThat(config.bareUrl(StreamKind.SUB)).isEqualTo(URI.create("rtsp://[fd00::20]:8554/ch2"));
        assertThat(config.toString()).doesNotContain("p%40ss").doesNotContain("p@ss");
        assertThat(new CameraConfig.Credentials("admin", "s3cret").toString()).doesNotContain("s3cret");

        CameraConfig inUrl = new CameraConfig("cam2", "Gate", MAIN, SUB);
        assertThat(inUrl.credentials()).contains(new CameraConfig.Credentials("admin", "s3cret"));
        assertThat(inUrl.bareUrl(StreamKind.MAIN)).isEqualTo(URI.create("rtsp://192.168.1.20:554/Streaming/Channels/101"));
        CameraConfig none = CameraConfig.of("cam3", "Shed", "rtsp://h/x", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO);
        assertThat(none.credentials()).isEmpty();
        assertThat(CameraConfig.of("cam4", "Shed", "rtsp://h/x", "rtsp://h/y",
                Optional.of(new CameraConfig.Credentials("viewer", "")), RtpTransport.AUTO).mainUrl())
                .isEqualTo(URI.create("rtsp://viewer@h/x"));
    }

    @Test
    void eachRefusalNamesItsField() {
        assertField(() -> CameraConfig.of("a b", "Yard", "rtsp://h/x", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "id");
        assertField(() -> CameraConfig.of("x".repeat(65), "Yard", "rtsp://h/x", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "id");
        assertField(() -> CameraConfig.of("cam1", "", "rtsp://h/x", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "name");
        assertField(() -> CameraConfig.of("cam1", "n".repeat(101), "rtsp://h/x", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "name");
        assertField(() -> CameraConfig.of("cam1", "Yard", "", "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "mainUrl");
        assertField(() -> CameraConfig.of("cam1", "Yard", "rtsp://h/x", "rtsps://h/y", Optional.empty(), RtpTransport.AUTO), "subUrl");
        assertField(() -> CameraConfig.of("cam1", "Yard", "rtsp://h/" + "x".repeat(2048), "rtsp://h/y", Optional.empty(), RtpTransport.AUTO), "mainUrl");
        assertField(() -> CameraConfig.of("cam1", "Yard", "rtsp://h/x", "rtsp://h/y", Optional.empty(), null), "transport");
        assertField(() -> new CameraConfig.Credentials("", "x"), "username");
        assertField(() -> new CameraConfig.Credentials("admin", "bad\nline"), "password");
        assertThatThrownBy(() -> CameraConfig.of("cam1", "Yard", "rtsp://h/x", "rtsps://h/y", Optional.empty(), RtpTransport.AUTO))
                .hasMessageContaining("rtsps:// is not supported yet".substring(0, 8)).hasMessageContaining("rtsp:// URL");
        assertThatThrownBy(() -> CameraConfig.of("cam1", "Yard", "rtsp://admin:s3cret@h/x", "rtsp://h/y",
                Optional.of(new CameraConfig.Credentials("admin", "s3cret")), RtpTransport.AUTO))
                .isInstanceOfSatisfying(InvalidCameraSetting.class, e -> assertThat(e.field()).isEqualTo("mainUrl"))
                .hasMessageContaining("one way").hasMessageNotContaining("s3cret");
    }

    @Test
    void aUrlThatDoesNotParseNeverEchoesItsPassword() {
        assertThatThrownBy(() -> CameraConfig.of("cam1", "Yard", "rtsp://admin:my secret@h/x", "rtsp://h/y",
                Optional.empty(), RtpTransport.AUTO))
                .isInstanceOfSatisfying(InvalidCameraSetting.class, e -> assertThat(e.field()).isEqualTo("mainUrl"))
                .hasMessageContaining("not a URL").hasMessageNotContaining("secret");
        // A raw '@' in the password leaves the authority unparsed: still redacted.
        assertThat(CameraConfig.redact(URI.create("rtsp://admin:p@ss@h/x"))).isEqualTo("rtsp://admin:***@h/x");
        assertThatThrownBy(() -> new CameraConfig("cam1", "Yard", URI.create("rtsp://admin:p@ss@/x"), SUB))
                .hasMessageNotContaining("p@ss");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidCameraSetting.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }
}
