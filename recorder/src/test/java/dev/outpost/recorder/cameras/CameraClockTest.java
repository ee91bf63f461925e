package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.testkit.RtspCamera;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Capture times from the camera's RTCP sender reports, against GStreamer's RTSP server, whose reports carry this
 * machine's real-time clock (rtpbin's default NTP time source): a camera whose clock is right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CameraClockTest {
    EventLoopGroup group;
    RtspCamera camera;

    @BeforeAll
    void startCamera() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        camera = RtspCamera.builder().start();
    }

    @AfterAll
    void stopCamera() {
        camera.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDP"})
    void captureTimesComeFromTheCamerasClockOnItsSenderReports(RtpTransport transport) {
        TimedSink sink = new TimedSink();
        CameraStream stream = new CameraStream("cam1", StreamKind.SUB, camera.url(RtspCamera.SUB), transport, group,
                CameraStreamTest.FAST, Clock.systemUTC());
        try {
            stream.addSink(sink);
            stream.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.status().cameraClockOffset().isPresent());
            int from = sink.pictures.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.pictures.size() >= from + 45);

            // GStreamer's clock is this machine's, and the report crossed the loopback interface. The bounds
            // below allow for a loaded machine delaying delivery; the spacing check after them is what tells
            // the camera's clock from arrival times.
            assertThat(stream.status().cameraClockOffset().orElseThrow().abs()).isLessThan(Duration.ofMillis(500));
            List<Timed> pictures = List.copyOf(sink.pictures.subList(from, from + 45));
            for (Timed picture : pictures) {
                assertThat(picture.receivedMicros - picture.unit.captureMicros())
                        .as("captured shortly before the recorder had it").isBetween(0L, 500_000L);
            }
            // Timed by the camera's 90 kHz clock, 6000 ticks a picture, not by when packets happened to arrive;
            // a new sender report may move the line by a few microseconds.
            long onTheCamerasClock = IntStream.range(1, pictures.size())
                    .mapToLong(i -> pictures.get(i).unit.captureMicros() - pictures.get(i - 1).unit.captureMicros())
                    .filter(step -> step == 66_666 || step == 66_667)
                    .count();
            assertThat(onTheCamerasClock).isGreaterThanOrEqualTo(40);
        } finally {
            stream.close();
        }
    }

    record Timed(AccessUnit unit, long receivedMicros) {
    }

    /** Keeps every picture with the wall-clock time it reached the sink. */
    static final class TimedSink implements VideoSink {
        final List<Timed> pictures = new CopyOnWriteArrayList<>();

        @Override
        public void onFormat(StreamFormat format) {
        }

        @Override
        public void onAccessUnit(AccessUnit unit) {
            Instant now = Instant.now();
            pictures.add(new Timed(unit, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000));
        }

        @Override
        public void onInterruption(String reason) {
        }
    }
}
