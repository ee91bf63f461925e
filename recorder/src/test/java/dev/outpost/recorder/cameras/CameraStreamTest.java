package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.testkit.RtspCamera;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Camera streams against GStreamer's RTSP server as the camera: Digest over TCP, the fallback to UDP, a
 * wrong password, a camera that dies and comes back, and garbage from a fake camera.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CameraStreamTest {
    /** Quick retries, so that the tests see several within seconds. */
    static final CameraStream.Timing FAST = new CameraStream.Timing(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofMinutes(1));
    static final Duration DEADLINE = Duration.ofSeconds(15);

    EventLoopGroup group;
    /** Digest auth, TCP and UDP: shared by the tests that do not stop it. */
    RtspCamera camera;
    final List<CameraStream> streams = new ArrayList<>();

    @BeforeAll
    void startCamera() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        camera = RtspCamera.builder().digestAuth("admin", "s3cret pass").start();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(CameraStream::close);
        streams.clear();
    }

    @AfterAll
    void stopCamera() {
        camera.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void digestOverTcpDeliversBothStreamsAtFifteenFramesASecond() {
        CollectingSink mainSink = new CollectingSink();
        CollectingSink subSink = new CollectingSink();
        CameraStream main = stream(StreamKind.MAIN, camera.url(RtspCamera.MAIN), RtpTransport.TCP, mainSink);
        CameraStream sub = stream(StreamKind.SUB, camera.url(RtspCamera.SUB), RtpTransport.AUTO, subSink);

        await().atMost(DEADLINE).until(() -> mainSink.units.size() >= 62 && subSink.units.size() >= 62);

        assertPictures(mainSink, 1280, 720);
        assertPictures(subSink, 704, 576);
        for (CameraStream stream : List.of(main, sub)) {
            CameraStatus status = stream.status();
            assertThat(status.state()).isEqualTo(CameraStatus.State.STREAMING);
            assertThat(status.transport()).contains(RtpTransport.TCP);
            assertThat(status.framesPerSecond()).isCloseTo(15, within(2.0));
            assertThat(status.bitsPerSecond()).isPositive();
            assertThat(status.packetsMalformed()).isZero();
            assertThat(status.lastError()).isEmpty();
        }
        assertThat(main.status().resolution()).contains(new CameraStatus.Resolution(1280, 720));
        assertThat(sub.status().resolution()).contains(new CameraStatus.Resolution(704, 576));
        assertThat(main.status().bitsPerSecond()).isGreaterThan(sub.status().bitsPerSecond());
    }

    @Test
    void aSinkAddedLaterGetsTheFormatFirstAndARemovedOneNothingMore() {
        CollectingSink first = new CollectingSink();
        CameraStream main = stream(StreamKind.MAIN, camera.url(RtspCamera.MAIN), RtpTransport.AUTO, first);
        await().atMost(DEADLINE).until(() -> first.units.size() >= 5);

        CollectingSink late = new CollectingSink();
        main.addSink(late);
        await().atMost(DEADLINE).until(() -> late.units.size() >= 5);
        assertThat(late.formats).hasSize(1);
        assertThat(late.unitBeforeFormat).isFalse();

        main.removeSink(first);
        int seen = first.units.size();
        int lateSeen = late.units.size();
        await().atMost(DEADLINE).until(() -> late.units.size() >= lateSeen + 5);
        assertThat(first.units.size()).isLessThanOrEqualTo(seen + 1); // at most one call already under way
    }

    @Test
    void aCameraThatRefusesTcpIsPlayedOverUdp() {
        try (RtspCamera udpOnly = RtspCamera.builder().transports(RtspCamera.Transport.UDP).start()) {
            CollectingSink sink = new CollectingSink();
            CameraStream sub = stream(StreamKind.SUB, udpOnly.url(RtspCamera.SUB), RtpTransport.AUTO, sink);
            await().atMost(DEADLINE).until(() -> sink.units.size() >= 31);
            assertPictures(sink, 704, 576);
            assertThat(sub.status().transport()).contains(RtpTransport.UDP);
            assertThat(sub.status().state()).isEqualTo(CameraStatus.State.STREAMING);

            udpOnly.restart(); // dies and comes back: new ports, new session, still UDP
            await().atMost(DEADLINE).until(() -> sink.interruptions.size() == 1);
            int before = sink.units.size();
            await().atMost(DEADLINE).until(() -> sink.units.size() >= before + 10);
            assertThat(sub.status().transport()).contains(RtpTransport.UDP);
            assertThat(sink.units.stream().map(AccessUnit::pts90k).toList()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void udpCanBeForcedOnACameraThatAlsoSpeaksTcp() {
        CollectingSink sink = new CollectingSink();
        CameraStream sub = stream(StreamKind.SUB, camera.url(RtspCamera.SUB), RtpTransport.UDP, sink);
        await().atMost(DEADLINE).until(() -> sink.units.size() >= 31);
        assertPictures(sink, 704, 576);
        assertThat(sub.status().transport()).contains(RtpTransport.UDP);
    }

    @Test
    void aWrongPasswordIsReportedAndRetried() {
        URI wrong = URI.create(camera.url(RtspCamera.MAIN).toString().replace("s3cret%20pass", "nope"));
        CollectingSink sink = new CollectingSink();
        CameraStream main = stream(StreamKind.MAIN, wrong, RtpTransport.AUTO, sink);

        await().atMost(Duration.ofSeconds(5)).until(() -> main.status().failures() >= 3);
        CameraStatus status = main.status();
        assertThat(status.state()).isEqualTo(CameraStatus.State.FAILED);
        assertThat(status.lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("authentication refused").contains("user and password").doesNotContain("nope"));
        assertThat(sink.units).isEmpty();
        assertThat(sink.interruptions).as("nothing played, so nothing was interrupted").isEmpty();
    }

    @Test
    void aPathTheCameraDoesNotHaveIsReportedAsNotFound() {
        URI missing = URI.create(camera.url(RtspCamera.MAIN).toString().replace("/main", "/nope"));
        CameraStream stream = stream(StreamKind.MAIN, missing, RtpTransport.AUTO, new CollectingSink());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.status().lastError().isPresent());
        assertThat(stream.status().state()).isEqualTo(CameraStatus.State.FAILED);
        assertThat(stream.status().lastError().orElseThrow()).startsWith("not found");
    }

    @Test
    void aCameraNobodyAnswersForIsUnreachable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CameraStream stream = stream(StreamKind.MAIN, URI.create("rtsp://127.0.0.1:" + port + "/main"),
                RtpTransport.AUTO, new CollectingSink());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.status().failures() >= 2);
        assertThat(stream.status().lastError().orElseThrow()).startsWith("unreachable");
        assertThat(stream.status().state()).isIn(CameraStatus.State.RETRYING, CameraStatus.State.CONNECTING);
    }

    @Test
    void aCameraThatDiesIsReportedAndResumesWhenItReturnsWithPtsStillGrowing() {
        try (RtspCamera dying = RtspCamera.builder().digestAuth("admin", "pw").transports(RtspCamera.Transport.TCP)
                .start()) {
            CollectingSink sink = new CollectingSink();
            CameraStream main = stream(StreamKind.MAIN, dying.url(RtspCamera.MAIN), RtpTransport.AUTO, sink);
            await().atMost(DEADLINE).until(() -> sink.units.size() >= 20);

            dying.stop();
            await().atMost(DEADLINE).until(() -> !sink.interruptions.isEmpty());
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
                    .until(() -> main.status().state() == CameraStatus.State.RETRYING);
            assertThat(main.status().lastError()).isPresent();
            int before = sink.units.size();

            dying.restart();
            await().atMost(DEADLINE).until(() -> sink.units.size() >= before + 20);
            assertThat(main.status().state()).isEqualTo(CameraStatus.State.STREAMING);
            assertThat(main.status().failures()).isZero();
            assertThat(sink.interruptions).hasSize(1);
            assertThat(sink.formats).as("the same format after the restart is not announced again").hasSize(1);
            assertThat(sink.units.get(before).keyframe()).as("the new session starts on a keyframe").isTrue();
            List<Long> pts = sink.units.stream().map(AccessUnit::pts90k).toList();
            assertThat(pts).isSorted().doesNotHaveDuplicates();
            assertThat(pts.get(before) - pts.get(before - 1)).as("the gap keeps its length").isGreaterThan(6000);
        }
    }

    @Test
    void aCameraPlaysItsMainAndSubStreams() {
        CameraConfig config = new CameraConfig("porch", "Porch", camera.url(RtspCamera.MAIN), camera.url(RtspCamera.SUB));
        try (Camera porch = new Camera(config, group, FAST)) {
            CollectingSink hd = new CollectingSink();
            CollectingSink sd = new CollectingSink();
            porch.stream(StreamKind.MAIN).addSink(hd);
            porch.stream(StreamKind.SUB).addSink(sd);
            porch.start();
            await().atMost(DEADLINE).until(() -> hd.units.size() >= 3 && sd.units.size() >= 3);
            assertThat(porch.status()).containsOnlyKeys(StreamKind.MAIN, StreamKind.SUB);
            assertThat(porch.status().get(StreamKind.MAIN).resolution()).contains(new CameraStatus.Resolution(1280, 720));
            assertThat(porch.status().get(StreamKind.SUB).resolution()).contains(new CameraStatus.Resolution(704, 576));
            assertThat(porch.main().cameraId()).isEqualTo("porch");
            assertThat(porch.sub().kind()).isEqualTo(StreamKind.SUB);
        }
    }

    private CameraStream stream(StreamKind kind, URI url, RtpTransport transport, VideoSink sink) {
        CameraStream stream = new CameraStream("cam1", kind, url, transport, group, FAST, Clock.systemUTC());
        streams.add(stream);
        stream.addSink(sink);
        stream.start();
        return stream;
    }

    /** Pictures as the camera makes them: its size, 15 fps, an IDR every 30, pts growing, AVCC well formed. */
    static void assertPictures(CollectingSink sink, int width, int height) {
        assertThat(sink.unitBeforeFormat).isFalse();
        assertThat(sink.formats).hasSize(1);
        assertThat(sink.formats.getFirst().width()).isEqualTo(width);
        assertThat(sink.formats.getFirst().height()).isEqualTo(height);
        assertThat(sink.threads).as("every call on the stream's event loop").hasSize(1);
        List<AccessUnit> units = List.copyOf(sink.units);
        assertThat(units.getFirst().keyframe()).isTrue();
        for (int i = 0; i < units.size(); i++) {
            assertThat(units.get(i).keyframe()).as("picture %d is a keyframe", i).isEqualTo(i % 30 == 0);
            assertWellFormed(units.get(i));
            if (i > 0) {
                assertThat(units.get(i).pts90k() - units.get(i - 1).pts90k()).as("90 kHz / 15 fps").isEqualTo(6000);
            }
        }
    }

    private static void assertWellFormed(AccessUnit unit) {
        byte[] avcc = unit.avcc();
        int at = 0;
        while (at < avcc.length) {
            assertThat(avcc.length - at).isGreaterThanOrEqualTo(5);
            int length = ((avcc[at] & 0xFF) << 24) | ((avcc[at + 1] & 0xFF) << 16) | ((avcc[at + 2] & 0xFF) << 8)
                    | (avcc[at + 3] & 0xFF);
            assertThat(length).isPositive().isLessThanOrEqualTo(avcc.length - at - 4);
            at += 4 + length;
        }
        assertThat(at).isEqualTo(avcc.length);
    }
}
