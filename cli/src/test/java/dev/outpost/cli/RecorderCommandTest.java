package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.RtpTransport;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.recorder.outbox.Outbox;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code outpost recorder --config FILE}: the file's cameras become the recorder's, with errors that point. */
class RecorderCommandTest {
    @TempDir
    Path dir;

    @Test
    void theConfigFilesCamerasListBecomesTheRecordersCameras() throws Exception {
        RecorderConfig config = parse("""
                data: %s
                cameras:
                  - id: front
                    name: Front door
                    main-url: rtsp://192.168.1.20/Streaming/Channels/101
                    sub-url: rtsp://192.168.1.20/Streaming/Channels/102
                    username: admin
                    password: "p@ss: word"
                    transport: tcp
                  - id: 7
                    name: Yard
                    main-url: rtsp://cam7.local:8554/main
                    sub-url: rtsp://cam7.local:8554/sub
                """.formatted(dir.resolve("data")));
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.cameras()).extracting(CameraConfig::id).containsExactly("front", "7");
        CameraConfig front = config.cameras().getFirst();
        assertThat(front.name()).isEqualTo("Front door");
        assertThat(front.credentials()).contains(new CameraConfig.Credentials("admin", "p@ss: word"));
        assertThat(front.bareUrl(StreamKind.SUB)).isEqualTo(URI.create("rtsp://192.168.1.20/Streaming/Channels/102"));
        assertThat(front.transport()).isEqualTo(RtpTransport.TCP);
        assertThat(config.cameras().get(1).transport()).isEqualTo(RtpTransport.AUTO);
        assertThat(config.cameras().get(1).credentials()).isEmpty();
    }

    @Test
    void aCameraFlagReplacesTheFilesCameraOfTheSameId() throws Exception {
        RecorderConfig config = parse("""
                cameras:
                  - {id: front, name: Front, main-url: "rtsp://h/1", sub-url: "rtsp://h/2"}
                  - {id: yard, name: Yard, main-url: "rtsp://h/3", sub-url: "rtsp://h/4"}
                """, "--camera", "front,Front door,rtsp://h/5,rtsp://h/6");
        assertThat(config.cameras()).extracting(CameraConfig::id, CameraConfig::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("front", "Front door"),
                org.assertj.core.groups.Tuple.tuple("yard", "Yard"));
    }

    @Test
    void mistakesInTheListNameTheCameraAndTheKeyButNeverThePassword() {
        assertThatThrownBy(() -> parse("""
                cameras:
                  - {id: front, name: Front, main-url: "rtsp://h/1", sub-url: "rtsp://h/2"}
                  - {id: yard, name: Yard, main-url: "http://admin:s3cret@h/3", sub-url: "rtsp://h/4"}
                """)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("cameras[1].main-url: camera yard: mainUrl must start with rtsp://")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("""
                cameras:
                  - {id: front, name: Front, mainurl: "rtsp://h/1", sub-url: "rtsp://h/2"}
                """)).hasMessageContaining("cameras[0]: unknown key 'mainurl'");
        assertThatThrownBy(() -> parse("""
                cameras:
                  - {id: front, name: Front, main-url: "rtsp://h/1", sub-url: "rtsp://h/2", transport: sctp}
                """)).hasMessageContaining("cameras[0].transport: transport must be auto, tcp or udp");
        assertThatThrownBy(() -> parse("""
                cameras:
                  - {id: front, name: Front, main-url: "rtsp://h/1", sub-url: "rtsp://h/2", password: s3cret}
                """)).hasMessageContaining("cameras[0].username").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("cameras: front\n")).hasMessageContaining("cameras must be a list");
    }

    @Test
    void healthSettingsComeFromTheFileAndFlagsWin() throws Exception {
        RecorderConfig config = parse("""
                health-check-seconds: 5
                camera-offline-seconds: 90
                link-outage-seconds: 300
                disk-free-percent: 10
                alert-images: false
                day-night-times: ["07:30", "19:30"]
                time-zone: Europe/Paris
                backup-every-days: 1
                outbox-max-items: 500
                outbox-max-mb: 64
                """, "--disk-free-percent", "8");
        HealthSettings health = config.health();
        assertThat(health.checkEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(health.cameraGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(health.linkOutage()).isEqualTo(Duration.ofMinutes(5));
        assertThat(health.diskFreePercent()).as("the flag wins").isEqualTo(8);
        assertThat(health.alertImages()).isFalse();
        assertThat(health.dayNightTimes()).containsExactly(LocalTime.of(7, 30), LocalTime.of(19, 30));
        assertThat(health.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(health.backupEvery()).isEqualTo(Duration.ofDays(1));
        assertThat(health.outbox()).isEqualTo(new Outbox.Limits(500, 64L << 20));

        HealthSettings none = parse("day-night-times: none\nbackup-every-days: 0\n").health();
        assertThat(none.dayNightTimes()).isEmpty();
        assertThat(none.backupEvery()).isZero();
        HealthSettings defaults = parse("{}\n").health();
        assertThat(defaults).isEqualTo(HealthSettings.DEFAULTS);
    }

    @Test
    void badHealthSettingsNameTheSetting() {
        assertThatThrownBy(() -> parse("day-night-times: \"25:00\"\n")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--day-night-times: '25:00' is not a time of day as HH:MM (24-hour clock), e.g. 12:00,00:00");
        assertThatThrownBy(() -> parse("", "--day-night-times", "01:00,02:00,03:00,04:00,05:00"))
                .hasMessage("--day-night-times: at most 4 times, not 5");
        assertThatThrownBy(() -> parse("time-zone: Mars/Olympus\n")).hasMessageStartingWith(
                "--time-zone: no time zone 'Mars/Olympus'");
        assertThatThrownBy(() -> parse("disk-free-percent: 60\n"))
                .hasMessage("--disk-free-percent must be 0 to 50, not 60");
        assertThatThrownBy(() -> parse("", "--outbox-max-mb", "0")).hasMessage("--outbox-max-mb must be 1 to 1048576, not 0");
        assertThatThrownBy(() -> parse("alert-images: maybe\n")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--alert-images");
    }

    private RecorderConfig parse(String yaml, String... more) throws Exception {
        Path file = dir.resolve("recorder.yaml");
        Files.writeString(file, yaml);
        CommandLine line = Main.commandLine();
        line.setDefaultValueProvider(new ConfigDefaults(Map.of(), Optional.of(file)));
        String[] args = new String[2 + more.length + 1];
        args[0] = "recorder";
        args[1] = "--config";
        args[2] = file.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        CommandLine.ParseResult parsed = line.parseArgs(args);
        RecorderCommand command = (RecorderCommand) parsed.subcommand().commandSpec().userObject();
        return command.toConfig();
    }
}
