package dev.outpost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtspCameraTest {

    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
    private static final Duration FFPROBE_DEADLINE = Duration.ofSeconds(20);
    private static final String USER = "admin";
    // Characters that must be percent-encoded in url() and decoded again by the client.
    private static final String PASSWORD = "s3cret:p@ss w%rd";

    private static RtspCamera camera;

    @BeforeAll
    static void start() {
        if (!Files.isExecutable(FFPROBE)) {
            throw new IllegalStateException(FFPROBE + " not found: install the Debian package ffmpeg");
        }
        camera = RtspCamera.builder().digestAuth(USER, PASSWORD).start();
    }

    @AfterAll
    static void stop() {
        if (camera != null) {
            camera.close();
        }
    }

    @Test
    void mainAndSubAreH264AtTheirSizesOverTcp() {
        assertThat(camera.url(RtspCamera.MAIN).toString())
                .isEqualTo("rtsp://admin:s3cret%3Ap%40ss%20w%25rd@127.0.0.1:" + camera.port() + "/main");
        assertThat(camera.url("sub", false).toString()).isEqualTo("rtsp://127.0.0.1:" + camera.port() + "/sub");

        var main = CompletableFuture.supplyAsync(() -> stream(camera.url(RtspCamera.MAIN), "tcp"));
        var sub = CompletableFuture.supplyAsync(() -> stream(camera.url(RtspCamera.SUB), "tcp"));

        assertThat(main.join()).isEqualTo("h264,High,1280,720,15/1");
        assertThat(sub.join()).isEqualTo("h264,High,704,576,15/1");
    }

    @Test
    void udpTransportWorks() {
        assertThat(stream(camera.url(RtspCamera.SUB), "udp")).isEqualTo("h264,High,704,576,15/1");
    }

    @Test
    void digestAuthRefusesAClientWithoutCredentials() throws IOException {
        String response = describe(camera, RtspCamera.MAIN, Optional.empty());

        assertThat(response).startsWith("RTSP/1.0 401 ")
                .containsPattern("(?m)^WWW-Authenticate: Digest realm=\"Outpost test camera\", nonce=\"[^\"]+\"");
        assertThat(response).doesNotContain("Basic");
    }

    @Test
    void digestAuthRefusesAWrongPassword() {
        URI wrong = URI.create(camera.url(RtspCamera.SUB).toString().replace("s3cret", "guessed"));

        Probe probe = ffprobe("-rtsp_transport", "tcp", "-show_streams", wrong.toString());

        assertThat(probe.exit()).isNotZero();
        assertThat(probe.errors()).contains("401 Unauthorized");
    }

    @Test
    void optionsChangeAuthTransportsProfileFrameRateAndGop() throws IOException {
        try (RtspCamera basic = RtspCamera.builder().basicAuth("viewer", "pw").transports(RtspCamera.Transport.TCP)
                .mainSize(640, 360).subSize(320, 240).mainBitrateKbps(600).subBitrateKbps(200)
                .profile(RtspCamera.Profile.MAIN).fps(30).gop(15).start()) {
            assertThat(describe(basic, RtspCamera.SUB, Optional.empty())).startsWith("RTSP/1.0 401 ")
                    .contains("WWW-Authenticate: Basic realm=\"Outpost test camera\"");
            String sdp = describe(basic, RtspCamera.SUB, Optional.of("Basic "
                    + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8))));
            assertThat(sdp).startsWith("RTSP/1.0 200 ").contains("a=rtpmap:96 H264/90000")
                    .contains("sprop-parameter-sets=");

            assertThat(stream(basic.url(RtspCamera.MAIN), "tcp")).isEqualTo("h264,Main,640,360,30/1");
            Probe udp = ffprobe("-rtsp_transport", "udp", "-show_streams", basic.url(RtspCamera.SUB).toString());
            assertThat(udp.exit()).isNotZero();
            assertThat(udp.errors()).contains("461 Unsupported transport");

            // 32 packets of one frame each hold at least two IDR frames whatever the first one is.
            Probe packets = ffprobe("-rtsp_transport", "tcp", "-show_entries", "packet=flags", "-read_intervals",
                    "%+#32", "-of", "csv=p=0", basic.url(RtspCamera.SUB).toString());
            List<String> flags = packets.output().lines().toList();
            List<Integer> keyframes = IntStream.range(0, flags.size()).filter(i -> flags.get(i).startsWith("K"))
                    .boxed().toList();
            assertThat(keyframes).as(packets.output()).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < keyframes.size(); i++) {
                assertThat(keyframes.get(i) - keyframes.get(i - 1)).as("frames between IDR frames").isEqualTo(15);
            }
        }
    }

    @Test
    void stopRefusesClientsAndRestartServesAgainOnTheSamePort() {
        RtspCamera restarting = RtspCamera.builder().mainSize(320, 240).subSize(160, 120).start();
        Path directory = restarting.directory();
        ProcessHandle first = restarting.process().orElseThrow().handle();
        int port = restarting.port();
        try (restarting) {
            assertThat(stream(restarting.url(RtspCamera.SUB), "tcp")).isEqualTo("h264,High,160,120,15/1");

            restarting.stop();
            assertThat(restarting.isRunning()).isFalse();
            assertThat(first.isAlive()).isFalse();
            assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
            restarting.stop();

            restarting.restart();
            assertThat(restarting.isRunning()).isTrue();
            assertThat(restarting.port()).isEqualTo(port);
            assertThat(restarting.url(RtspCamera.MAIN).getPort()).isEqualTo(port);
            assertThat(stream(restarting.url(RtspCamera.MAIN), "tcp")).isEqualTo("h264,High,320,240,15/1");
        }
        ProcessHandle second = restarting.process().map(RtspCameraProcess::handle).orElse(first);
        assertThat(second.isAlive()).isFalse();
        assertThat(restarting.isRunning()).isFalse();
        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(restarting::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        restarting.close();
    }

    @Test
    void exitsAndDeletesItsDirectoryWhenTheJvmEndOfStdinCloses() throws IOException {
        try (RtspCamera orphan = RtspCamera.builder().mainSize(320, 240).subSize(160, 120).start()) {
            RtspCameraProcess process = orphan.process().orElseThrow();

            process.stdin().close();

            await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
            assertThatThrownBy(() -> connect(orphan.port())).isInstanceOf(ConnectException.class);
            assertThat(orphan.directory()).doesNotExist();
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> RtspCamera.builder().mainSize(1281, 720))
                .hasMessage("main size must have even sides (4:2:0 chroma), got 1281x720");
        assertThatThrownBy(() -> RtspCamera.builder().subSize(704, 8)).hasMessage("sub height must be 16..4096, got 8");
        assertThatThrownBy(() -> RtspCamera.builder().fps(0)).hasMessage("fps must be 1..60, got 0");
        assertThatThrownBy(() -> RtspCamera.builder().gop(0)).hasMessage("gop must be 1..600, got 0");
        assertThatThrownBy(() -> RtspCamera.builder().mainBitrateKbps(1))
                .hasMessage("main bitrate (kbit/s) must be 16..100000, got 1");
        assertThatThrownBy(() -> RtspCamera.builder().digestAuth("ad:min", "pw"))
                .hasMessageContaining("camera user must be non-empty without ':'");
        assertThatThrownBy(() -> RtspCamera.builder().basicAuth("admin", ""))
                .hasMessage("camera password must be non-empty without controls");
    }

    /** codec,profile,width,height,frame rate of the mount's only stream, as ffprobe reads them. */
    private static String stream(URI url, String transport) {
        Probe probe = ffprobe("-rtsp_transport", transport, "-analyzeduration", "0", "-probesize", "32",
                "-show_entries", "stream=codec_name,profile,width,height,r_frame_rate", "-of", "csv=p=0",
                url.toString());
        assertThat(probe.exit()).as(probe.errors()).isZero();
        return probe.output().strip();
    }

    private record Probe(int exit, String output, String errors) {
    }

    private static Probe ffprobe(String... arguments) {
        List<String> command = new ArrayList<>(List.of(FFPROBE.toString(), "-v", "error", "-timeout", "5000000"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                    "/dev/null"))).start();
            var errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String output = readAll(process.getInputStream());
            if (!process.waitFor(FFPROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + FFPROBE_DEADLINE);
            }
            return new Probe(process.exitValue(), output, errors.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + FFPROBE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read: " + e + ")";
        }
    }

    /** A raw RTSP DESCRIBE (RFC 2326 section 10.2); returns the response head and body. */
    private static String describe(RtspCamera camera, String mount, Optional<String> authorization)
            throws IOException {
        try (Socket socket = connect(camera.port())) {
            socket.setSoTimeout(10_000);
            String request = "DESCRIBE " + camera.url(mount, false) + " RTSP/1.0\r\nCSeq: 1\r\n"
                    + "Accept: application/sdp\r\n"
                    + authorization.map(a -> "Authorization: " + a + "\r\n").orElse("") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            var head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0 || head.size() > 16 * 1024) {
                    break;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = text.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                    .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
    }

    private static Socket connect(int port) throws IOException {
        var socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
