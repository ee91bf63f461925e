package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.rtp.RtpPacket;
import dev.outpost.media.rtp.SenderReport;
import dev.outpost.media.sdp.H264Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiver times pictures by the camera's sender reports: only its video's own, only when its clock is right. */
class RtpReceiverClockTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80, (byte) 0xBF,
        (byte) 0xE5};
    private static final byte[] PPS = {0x68, (byte) 0xEB, (byte) 0xE3, (byte) 0xCB, 0x22, (byte) 0xC0};
    private static final long SSRC = 0x5EED;
    private static final long RTP = 1_000_000;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<AccessUnit> pictures = new ArrayList<>();
    private final RtpReceiver receiver = new RtpReceiver(new H264Track("rtsp://camera/track1", 96, 90_000, 1,
            OptionalInt.empty(), Optional.of(SPS), Optional.of(PPS), OptionalDouble.empty()), channel.eventLoop(),
            pictures::add, "test camera");
    private int sequence;

    @AfterEach
    void close() {
        receiver.stop();
        channel.finishAndReleaseAll();
    }

    @Test
    void picturesAreTimedByTheLatestSenderReportOfTheirOwnSourceWhileTheCamerasClockIsRight() {
        picture(RTP, true);
        assertThat(pictures.getLast().captureMicros()).as("no report yet: arrival").isCloseTo(now(), within(1_000_000L));
        long reported = now() - 500_000; // the camera's clock half a second behind ours: close enough
        rtcp(new SenderReport(0xBAD, SenderReport.ntpTimestamp(now() - 400_000), RTP, 1, 100).write(
                channel.alloc()));
        assertThat(receiver.cameraClockOffset()).as("another source's report says nothing of this video").isEmpty();

        rtcp(new SenderReport(SSRC, SenderReport.ntpTimestamp(reported), RTP, 1, 100).write(channel.alloc()));
        picture(RTP + 6_000, false);

        assertThat(pictures.getLast().captureMicros()).isEqualTo(reported + 66_666);
        assertThat(receiver.cameraClockOffset().orElseThrow()).isCloseTo(Duration.ofMillis(-500),
                Duration.ofMillis(100));
    }

    @Test
    void aCameraClockAnHourOffIsShownAndCaptureTimesFallBackToArrival() {
        picture(RTP, true);
        rtcp(new SenderReport(SSRC, SenderReport.ntpTimestamp(now() + 3_600_000_000L), RTP, 1, 100).write(
                channel.alloc()));

        picture(RTP + 6_000, false);

        assertThat(pictures.getLast().captureMicros()).isCloseTo(now(), within(1_000_000L));
        assertThat(receiver.cameraClockOffset().orElseThrow()).isCloseTo(Duration.ofHours(1), Duration.ofSeconds(1));
    }

    @Test
    void malformedRtcpIsIgnoredAndThePicturesKeepComing() {
        picture(RTP, true);
        for (String hex : List.of("", "00", "80c8", "80c80006", "80c8ffff00000000", "c0c80006" + "00".repeat(24))) {
            rtcp(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
        }
        picture(RTP + 6_000, false);

        assertThat(pictures).hasSize(2);
        assertThat(receiver.cameraClockOffset()).isEmpty();
    }

    private void picture(long timestamp, boolean keyframe) {
        byte[] slice = {(byte) (keyframe ? 0x65 : 0x41), (byte) 0x88, 0x04, 0x00, 0x10};
        ByteBuf packet = new RtpPacket(true, 96, sequence++, timestamp, SSRC, slice).write(channel.alloc());
        try {
            receiver.interleaved(packet);
        } finally {
            packet.release();
        }
    }

    private void rtcp(ByteBuf packet) {
        try {
            receiver.rtcp(packet);
        } finally {
            packet.release();
        }
    }

    private static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
