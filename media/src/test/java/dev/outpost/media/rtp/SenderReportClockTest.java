package dev.outpost.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Capture times from sender reports when the camera's clock is right, from arrival when it is not. */
class SenderReportClockTest {
    /** 2026-11-23T22:00:00Z. */
    private static final long NOW = 1_795_471_200_000_000L;
    private static final long RTP = 4_294_500_000L; // about 5 s of 90 kHz before the 32-bit wrap

    @Test
    void beforeAnyReportCaptureTimeIsArrival() {
        SenderReportClock clock = new SenderReportClock(90_000);

        assertThat(clock.captureMicros(RTP, NOW)).isEqualTo(NOW);
        assertThat(clock.offset()).isEmpty();
        assertThat(clock.mapped()).isFalse();
    }

    @Test
    void picturesAreTimedByTheirRtpTimestampAlongTheReportNotByWhenTheyArrived() {
        SenderReportClock clock = new SenderReportClock(90_000);
        // The report left the camera at NOW (its clock right) and took 2 ms to arrive.
        assertThat(clock.senderReport(report(NOW, RTP), NOW + 2_000)).isTrue();

        // 15 fps: 6000 ticks a picture. Each arrives 40 to 90 ms after capture, a keyframe later than the rest.
        assertThat(clock.captureMicros(rtp(6_000), NOW + 66_667 + 90_000)).isEqualTo(NOW + 66_666);
        assertThat(clock.captureMicros(rtp(12_000), NOW + 133_333 + 40_000)).isEqualTo(NOW + 133_333);
        // Across the 32-bit wrap (RFC 3550 section 5.1), and a picture from before the report.
        assertThat(rtp(900_000)).isLessThan(RTP);
        assertThat(clock.captureMicros(rtp(900_000), NOW + 10_050_000)).isEqualTo(NOW + 10_000_000);
        assertThat(clock.captureMicros(rtp(-9_000), NOW + 50_000)).isEqualTo(NOW - 100_000);
        assertThat(clock.offset()).contains(Duration.ofMillis(-2));
    }

    @Test
    void aCameraClockOffByMoreThanASecondIsShownButNotUsed() {
        SenderReportClock clock = new SenderReportClock(90_000);
        long cameraAhead = NOW + Duration.ofMinutes(7).toNanos() / 1000;

        assertThat(clock.senderReport(report(cameraAhead, RTP), NOW)).isFalse();

        assertThat(clock.captureMicros(rtp(6_000), NOW + 80_000)).isEqualTo(NOW + 80_000);
        assertThat(clock.offset()).contains(Duration.ofMinutes(7));
        assertThat(clock.mapped()).isFalse();
    }

    @Test
    void aLaterReportFromAWrongClockStopsTheMappingAndARightOneRestoresIt() {
        SenderReportClock clock = new SenderReportClock(90_000);
        clock.senderReport(report(NOW, RTP), NOW);
        clock.senderReport(report(NOW + 5_000_000 - 3_000_000, rtp(450_000)), NOW + 5_000_000); // 3 s behind

        assertThat(clock.captureMicros(rtp(456_000), NOW + 5_100_000)).isEqualTo(NOW + 5_100_000);

        clock.senderReport(report(NOW + 10_000_000, rtp(900_000)), NOW + 10_001_000);
        assertThat(clock.captureMicros(rtp(906_000), NOW + 10_100_000)).isEqualTo(NOW + 10_066_666);
    }

    @Test
    void aMappedTimeLaterThanArrivalOrLongBeforeItFallsBackToArrival() {
        SenderReportClock clock = new SenderReportClock(90_000);
        clock.senderReport(report(NOW + 500_000, RTP), NOW); // the camera's clock half a second ahead: used

        assertThat(clock.captureMicros(rtp(6_000), NOW + 100_000)).as("not captured after it arrived")
                .isEqualTo(NOW + 100_000);
        assertThat(clock.captureMicros(rtp(90_000 * 60), NOW + 1_000_000)).as("a minute later by its RTP clock")
                .isEqualTo(NOW + 1_000_000);
        assertThat(clock.captureMicros(rtp(-90_000 * 60), NOW + 1_000_000)).as("a minute earlier: stale")
                .isEqualTo(NOW + 1_000_000);
    }

    /** The RTP timestamp {@code ticks} after {@link #RTP}, wrapped to 32 bits. */
    private static long rtp(long ticks) {
        return (RTP + ticks) & 0xFFFF_FFFFL;
    }

    private static SenderReport report(long unixMicros, long rtp) {
        return new SenderReport(0x1234, SenderReport.ntpTimestamp(unixMicros), rtp, 100, 100_000);
    }
}
