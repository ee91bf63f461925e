package dev.outpost.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.testkit.RtspCamera;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The RTSP control connection against GStreamer's RTSP server with Digest auth, as a camera. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RtspConnectionTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    EventLoopGroup group;
    RtspCamera camera;

    @BeforeAll
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        camera = RtspCamera.builder().digestAuth("admin", "s3cret pass").transports(RtspCamera.Transport.TCP).start();
    }

    @AfterAll
    void stop() {
        camera.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void describeSetupAndPlayBringRtpOverTheConnection() throws Exception {
        AtomicInteger rtpPackets = new AtomicInteger();
        AtomicInteger badPackets = new AtomicInteger();
        URI url = camera.url(RtspCamera.MAIN);
        try (RtspConnection rtsp = RtspConnection.open(group, url, frame -> {
            try {
                if (frame.channel() == 0) {
                    int first = frame.content().getUnsignedByte(frame.content().readerIndex());
                    (first >> 6 == 2 ? rtpPackets : badPackets).incrementAndGet();
                }
            } finally {
                frame.release();
            }
        }, TIMEOUT).get(10, TimeUnit.SECONDS)) {
            assertThat(rtsp.url().toString()).doesNotContain("s3cret");
            assertThat(rtsp.remoteAddress().getPort()).isEqualTo(camera.port());
            RtspResponse describe = rtsp.send("DESCRIBE", rtsp.url().toString(), Map.of("Accept", "application/sdp"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(describe.status()).as("Digest answered after the 401").isEqualTo(200);
            assertThat(describe.bodyText()).contains("H264/90000");

            String control = control(describe);
            RtspResponse setup = rtsp.send("SETUP", control, Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(setup.status()).isEqualTo(200);
            assertThat(rtsp.session()).isPresent();

            RtspResponse play = rtsp.send("PLAY", rtsp.url().toString(), Map.of("Range", "npt=0.000-"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(play.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> rtpPackets.get() > 100);
            assertThat(badPackets.get()).isZero();

            RtspResponse keepAlive = rtsp.send("GET_PARAMETER", rtsp.url().toString(), Map.of()).get(10, TimeUnit.SECONDS);
            assertThat(keepAlive.status()).isEqualTo(200);
        }
    }

    @Test
    void aWrongPasswordEndsIn401AfterOneRetry() throws Exception {
        URI wrong = URI.create(camera.url(RtspCamera.MAIN).toString().replace("s3cret%20pass", "nope"));
        try (RtspConnection rtsp = RtspConnection.open(group, wrong, InterleavedFrame::release, TIMEOUT).get(10, TimeUnit.SECONDS)) {
            RtspResponse describe = rtsp.send("DESCRIBE", rtsp.url().toString(), Map.of("Accept", "application/sdp"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(describe.status()).isEqualTo(401);
        }
    }

    @Test
    void keepAliveWidensTheSilenceLimitForConnectionsThatCarryNoRtp() throws Exception {
        // A 1 s timeout means 3 s of silence ends the connection; keep-alives every 4 s must widen that.
        try (RtspConnection rtsp = RtspConnection.open(group, camera.url(RtspCamera.MAIN), InterleavedFrame::release,
                Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS)) {
            RtspResponse describe = rtsp.send("DESCRIBE", rtsp.url().toString(), Map.of("Accept", "application/sdp"))
                    .get(10, TimeUnit.SECONDS);
            RtspResponse setup = rtsp.send("SETUP", control(describe),
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1")).get(10, TimeUnit.SECONDS);
            assertThat(setup.status()).isEqualTo(200);
            rtsp.keepAlive(Duration.ofSeconds(4)); // no PLAY: nothing but these answers will come
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> !rtsp.closed().isDone());
        }
    }

    /** The video track's control URL, absolute or relative to Content-Base. */
    private static String control(RtspResponse describe) {
        Matcher m = Pattern.compile("m=video[\\s\\S]*?a=control:(\\S+)").matcher(describe.bodyText());
        assertThat(m.find()).as("SDP has a video control").isTrue();
        String control = m.group(1);
        if (control.startsWith("rtsp://")) {
            return control;
        }
        String base = describe.header("Content-Base").orElseThrow();
        return base.endsWith("/") ? base + control : base + "/" + control;
    }
}
