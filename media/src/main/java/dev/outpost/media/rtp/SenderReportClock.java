package dev.outpost.media.rtp;

import java.time.Duration;
import java.util.Optional;

/**
 * Capture times from the sender's own clock: the latest RTCP sender report (RFC 3550 section 6.4.1) ties an RTP
 * timestamp to the camera's NTP time, and every access unit's RTP timestamp is carried along that line at the
 * payload's clock rate. Unlike arrival time, this does not include the camera's encoding and network delay, nor
 * the jitter of big keyframes arriving late.
 *
 * <p>A camera's clock is only as right as its NTP setting. A sender report whose time is more than
 * {@link #MAX_CLOCK_OFFSET} from the receiver's clock on arrival is not used: capture times then fall back to
 * arrival, as before any report came, and {@link #offset()} shows how far off the camera is. A mapped time is never
 * later than arrival (nothing is captured after it arrived; a camera clock slightly ahead would otherwise show
 * negative latency) and never more than {@link #MAX_DELAY} before it (the mapping has gone stale, say the camera
 * restarted its RTP clock).
 *
 * <p>Not thread-safe for updates: reports and access units come on one thread (the stream's event loop);
 * {@link #offset()} may be read from any.
 */
public final class SenderReportClock implements CaptureClock {
    /** How far a camera's clock may be from the recorder's for its reports to be used. */
    public static final Duration MAX_CLOCK_OFFSET = Duration.ofSeconds(1);
    /** The longest a picture may take from capture to arrival for its mapped capture time to be believed. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final long clockRate;
    private volatile boolean mapped; // written on one thread, read by status on any
    private long anchorRtp;
    private long anchorMicros;
    private volatile Optional<Duration> offset = Optional.empty();

    /** @param clockRate the RTP payload's clock rate in Hz: 90000 for video (RFC 6184 section 8.2.1) */
    public SenderReportClock(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate + " Hz is not positive");
        }
        this.clockRate = clockRate;
    }

    /**
     * Takes a sender report from the stream's sender.
     *
     * @param arrivalMicros when it arrived, microseconds since the epoch on the receiver's clock
     * @return whether it is used for capture times (the camera's clock is close enough to ours)
     */
    public boolean senderReport(SenderReport report, long arrivalMicros) {
        long camera = report.unixMicros();
        long ahead = camera - arrivalMicros; // the camera's clock offset, less the report's one-way delay
        offset = Optional.of(Duration.ofNanos(Math.multiplyExact(ahead, 1000)));
        mapped = Math.abs(ahead) <= MAX_CLOCK_OFFSET.toNanos() / 1000;
        if (mapped) {
            anchorRtp = report.rtpTimestamp();
            anchorMicros = camera;
        }
        return mapped;
    }

    @Override
    public long captureMicros(long rtpTimestamp, long arrivalMicros) {
        if (!mapped) {
            return arrivalMicros;
        }
        long ticks = (int) (rtpTimestamp - anchorRtp); // RFC 3550 section 5.1: timestamps wrap; nearest is meant
        long captured = anchorMicros + Math.floorDiv(ticks * 1_000_000, clockRate);
        if (captured > arrivalMicros || arrivalMicros - captured > MAX_DELAY.toNanos() / 1000) {
            return arrivalMicros;
        }
        return captured;
    }

    /**
     * How far ahead of the receiver's clock the sender's was in its latest report (negative: behind), the report's
     * network delay included; empty before any report.
     */
    public Optional<Duration> offset() {
        return offset;
    }

    /** Whether capture times come from the sender's reports (true) or from arrival. */
    public boolean mapped() {
        return mapped;
    }
}
