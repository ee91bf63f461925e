package dev.outpost.recorder.cameras;

import static dev.outpost.recorder.cameras.FakeRtspCamera.interleaved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.testkit.RtspCamera;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

/** What a broken camera sends is counted or refused in words, and never disturbs another camera. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedCameraTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String H264_FMTP = "packetization-mode=1;profile-level-id=640028";

    EventLoopGroup group;
    RtspCamera camera;
    final List<CameraStream> streams = new ArrayList<>();

    @BeforeAll
    void start() {
        // One event loop: the broken camera's stream and the good one share it, as many cameras do.
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        camera = RtspCamera.builder().start();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(CameraStream::close);
        streams.clear();
    }

    @AfterAll
    void stop() {
        camera.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void garbagePacketsAreCountedAndTheOtherCameraPlaysOn() throws Exception {
        CollectingSink good = new CollectingSink();
        CameraStream real = stream(camera.url(RtspCamera.SUB).toString(), good);
        await().atMost(DEADLINE).until(() -> good.units.size() >= 5);

        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        int sequence = 1000;
        for (int i = 0; i < 10; i++) {
            garbage.write(interleaved(0, new byte[0])); // shorter than an RTP header
            garbage.write(interleaved(0, new byte[] {(byte) 0x80, 96, 0, 1, 2})); // a truncated header
            garbage.write(interleaved(0, rtp(0x40, 96, sequence, i, new byte[] {0x65, 1, 2}))); // version 1
            garbage.write(interleaved(0, rtp(0x80, 97, sequence, i, new byte[] {0x65, 1, 2}))); // not the SDP's type
            garbage.write(interleaved(0, rtp(0xA0, 96, sequence, i, new byte[] {0x65, 1, 9}))); // padding past the end
            garbage.write(interleaved(0, rtp(0x80, 96, sequence++, 2 * i * 6000L, new byte[] {(byte) 0x85}))); // F bit
            garbage.write(interleaved(0, rtp(0x80, 96, sequence++, (2 * i + 1) * 6000L,
                    new byte[] {0x7C, 0x05, 1, 2}))); // an FU-A middle without its start
            garbage.write(interleaved(1, "not RTCP".getBytes(StandardCharsets.US_ASCII))); // ignored
            garbage.write(interleaved(7, new byte[] {1, 2, 3})); // a channel nobody set up: ignored
        }
        try (FakeRtspCamera broken = new FakeRtspCamera(FakeRtspCamera.sdp("H264", H264_FMTP), garbage.toByteArray())) {
            CollectingSink sink = new CollectingSink();
            CameraStream stream = stream(broken.url().toString(), sink);
            await().atMost(DEADLINE).until(() -> stream.status().packetsMalformed() >= 70);

            CameraStatus status = stream.status();
            assertThat(status.state()).isEqualTo(CameraStatus.State.STREAMING);
            assertThat(status.packets()).isEqualTo(70);
            assertThat(status.packetsMalformed()).isEqualTo(70);
            assertThat(status.accessUnits()).isZero();
            assertThat(sink.units).isEmpty();

            int seen = good.units.size();
            await().atMost(DEADLINE).until(() -> good.units.size() >= seen + 15);
            assertThat(real.status().packetsMalformed()).isZero();
            assertThat(real.status().state()).isEqualTo(CameraStatus.State.STREAMING);
            CameraStreamTest.assertPictures(good, 704, 576);
        }
    }

    @Test
    void bytesThatAreNeitherRtspNorInterleavedEndTheSessionWhichIsRetried() throws Exception {
        byte[] junk = "HTTP/1.1 200 OK\r\n\r\nnot rtsp at all".getBytes(StandardCharsets.US_ASCII);
        try (FakeRtspCamera broken = new FakeRtspCamera(FakeRtspCamera.sdp("H264", H264_FMTP), junk)) {
            CameraStream stream = stream(broken.url().toString(), new CollectingSink());
            await().atMost(DEADLINE).until(() -> broken.plays.get() >= 2 && stream.status().lastError().isPresent());
            assertThat(stream.status().lastError().orElseThrow()).contains("broke RTSP");
        }
    }

    @Test
    void aCameraThatIsNotH264IsRefusedInPlainWords() throws Exception {
        try (FakeRtspCamera h265 = new FakeRtspCamera(FakeRtspCamera.sdp("H265", ""), new byte[0]);
             FakeRtspCamera interleavedMode = new FakeRtspCamera(FakeRtspCamera.sdp("H264", "packetization-mode=2"),
                     new byte[0])) {
            CameraStream hevc = stream(h265.url().toString(), new CollectingSink());
            CameraStream mode2 = stream(interleavedMode.url().toString(), new CollectingSink());
            await().atMost(DEADLINE).until(() -> hevc.status().lastError().isPresent()
                    && mode2.status().lastError().isPresent());
            assertThat(hevc.status().state()).isEqualTo(CameraStatus.State.FAILED);
            assertThat(hevc.status().lastError().orElseThrow()).startsWith("not H.264").contains("H265");
            assertThat(mode2.status().state()).isEqualTo(CameraStatus.State.FAILED);
            assertThat(mode2.status().lastError().orElseThrow()).contains("packetization-mode 2");
            assertThat(h265.plays.get() + interleavedMode.plays.get()).isZero();
        }
    }

    @Test
    void aCameraThatPlaysButSendsNothingIsTimedOutAndRetried() throws Exception {
        CameraStream.Timing quickSilence = new CameraStream.Timing(Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(1));
        try (FakeRtspCamera mute = new FakeRtspCamera(FakeRtspCamera.sdp("H264", H264_FMTP), new byte[0])) {
            CollectingSink sink = new CollectingSink();
            CameraStream stream = stream(mute.url().toString(), sink, quickSilence);
            await().atMost(DEADLINE).until(() -> mute.plays.get() >= 2);
            assertThat(sink.interruptions).isNotEmpty().first().asString().startsWith("timeout: no video");
            assertThat(stream.status().lastError().orElseThrow()).startsWith("timeout: no video");
        }
    }

    private CameraStream stream(String url, VideoSink sink) {
        return stream(url, sink, CameraStreamTest.FAST);
    }

    private CameraStream stream(String url, VideoSink sink, CameraStream.Timing timing) {
        CameraStream stream = new CameraStream("cam-" + streams.size(), StreamKind.SUB, java.net.URI.create(url),
                RtpTransport.TCP, group, timing, Clock.systemUTC());
        streams.add(stream);
        stream.addSink(sink);
        stream.start();
        return stream;
    }

    /** An RTP packet whose first byte is {@code first} (version, padding, extension, CSRC count). */
    private static byte[] rtp(int first, int payloadType, int sequence, long timestamp, byte[] payload) {
        byte[] packet = new byte[12 + payload.length];
        packet[0] = (byte) first;
        packet[1] = (byte) payloadType;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            packet[8 + i] = (byte) (0x12345678 >> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return packet;
    }
}
