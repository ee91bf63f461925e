package dev.outpost.recorder.cameras;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.rtp.H264Depacketizer;
import dev.outpost.media.rtp.RtcpCompound;
import dev.outpost.media.rtp.RtcpFormatException;
import dev.outpost.media.rtp.RtpFormatException;
import dev.outpost.media.rtp.RtpPacket;
import dev.outpost.media.rtp.SenderReport;
import dev.outpost.media.rtp.SenderReportClock;
import dev.outpost.media.sdp.H264Track;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet path of one RTSP session, from RTP bytes to access units: parse (RFC 3550), keep only the
 * payload type the SDP announced, put UDP packets back in order, depacketize (RFC 6184). The camera's RTCP sender
 * reports time the pictures on its own clock when that clock is right ({@link SenderReportClock}); otherwise
 * capture time is arrival. Whatever the bytes, nothing here throws: what is wrong is counted (RTP) or logged
 * (RTCP). Runs on the stream's event loop; {@link #counts} and {@link #cameraClockOffset} from any.
 */
final class RtpReceiver {
    private static final Logger log = LoggerFactory.getLogger(RtpReceiver.class);
    /**
     * How long packets over UDP wait for a missing one before it counts as lost: reordering on a LAN or
     * Wi-Fi is a few milliseconds, and live latency should not grow by more than this.
     */
    static final Duration REORDER_HOLD = Duration.ofMillis(50);

    /** Packet and picture counts of a session, or of several added up. */
    record Counts(long packets, long lost, long late, long reordered, long malformed, long accessUnits,
                  long droppedAccessUnits) {
        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(packets + other.packets, lost + other.lost, late + other.late,
                    reordered + other.reordered, malformed + other.malformed, accessUnits + other.accessUnits,
                    droppedAccessUnits + other.droppedAccessUnits);
        }
    }

    private final EventLoop loop;
    private final String where;
    private final int payloadType;
    private final SenderReportClock captureClock;
    private final H264Depacketizer depacketizer;
    private final RtpReorderBuffer reorder = new RtpReorderBuffer(this::depacketize);
    private ScheduledFuture<?> reorderExpiry;
    private boolean stopped;
    private volatile long unparsed; // written on the event loop only
    private boolean seenSsrc;
    private long ssrc;
    private boolean clockWarned;

    /**
     * @param pictures gets each access unit, on the event loop
     * @param where    names the stream in logs
     */
    RtpReceiver(H264Track track, EventLoop loop, Consumer<AccessUnit> pictures, String where) {
        this.loop = loop;
        this.where = where;
        this.payloadType = track.payloadType();
        this.captureClock = new SenderReportClock(track.clockRate() > 0 ? track.clockRate() : 90_000);
        this.depacketizer = new H264Depacketizer(H264Depacketizer.Limits.DEFAULT, captureClock, InstantSource.system(),
                pictures);
        if (track.sps().isPresent() && track.pps().isPresent()) {
            try {
                depacketizer.seedParameterSets(track.sps().get(), track.pps().get());
            } catch (IllegalArgumentException notParameterSets) {
                log.debug("{}: ignoring the SDP's parameter sets: {}", where, notParameterSets.getMessage());
            }
        }
    }

    /** A packet from the RTSP connection, which cannot reorder. The caller keeps the buffer. */
    void interleaved(ByteBuf bytes) {
        RtpPacket packet = parse(bytes);
        if (packet != null) {
            depacketize(packet);
        }
    }

    /** A packet from a UDP datagram: back in order first, waiting at most {@link #REORDER_HOLD} for a missing one. */
    void datagram(ByteBuf bytes) {
        RtpPacket packet = parse(bytes);
        if (packet != null) {
            reorder.push(packet, System.nanoTime());
            scheduleReorderExpiry();
        }
    }

    /**
     * An RTCP compound packet from the camera. Only sender reports from the video's own SSRC count: another
     * source's clock says nothing about these timestamps. The caller keeps the buffer.
     */
    void rtcp(ByteBuf bytes) {
        if (stopped) {
            return;
        }
        Instant now = Instant.now(); // the clock the depacketizer reads arrival from
        long arrivalMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        try {
            for (SenderReport report : RtcpCompound.senderReports(bytes)) {
                if (seenSsrc && report.ssrc() == ssrc && !captureClock.senderReport(report, arrivalMicros)
                        && !clockWarned) {
                    clockWarned = true;
                    log.warn("{}: the camera's clock is {} ms {} the recorder's, so capture times are taken from"
                            + " arrival instead; set the camera's NTP server to fix its clock", where,
                            Math.abs(captureClock.offset().orElseThrow().toMillis()),
                            captureClock.offset().orElseThrow().isNegative() ? "behind" : "ahead of");
                }
            }
        } catch (RtcpFormatException | IllegalArgumentException e) {
            log.debug("{}: malformed RTCP packet: {}", where, e.getMessage());
        }
    }

    /**
     * How far the camera's clock is ahead of the recorder's (negative: behind) by its latest sender report, network
     * delay included; empty if it sent none. Within {@link SenderReportClock#MAX_CLOCK_OFFSET}, capture times come
     * from the camera's clock.
     */
    Optional<Duration> cameraClockOffset() {
        return captureClock.offset();
    }

    /** The format the latest parameter sets describe. */
    Optional<StreamFormat> streamFormat() {
        return depacketizer.streamFormat();
    }

    /** Lets go of what waits for reordering; nothing more comes out. */
    void stop() {
        stopped = true;
        if (reorderExpiry != null) {
            reorderExpiry.cancel(false);
        }
    }

    Counts counts() {
        H264Depacketizer.Stats stats = depacketizer.stats();
        long duplicates = reorder.duplicates();
        long notRtp = unparsed;
        return new Counts(stats.packets() + notRtp + duplicates, stats.lostPackets(), stats.latePackets() + duplicates,
                reorder.reordered(), stats.malformedPackets() + notRtp, stats.accessUnits(),
                stats.droppedAccessUnits());
    }

    /** Parses one packet; null if it is not RTP or not the announced video. */
    private RtpPacket parse(ByteBuf bytes) {
        if (stopped) {
            return null;
        }
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(bytes);
        } catch (RtpFormatException | IllegalArgumentException e) {
            unparsed++;
            log.debug("{}: malformed RTP packet: {}", where, e.getMessage());
            return null;
        }
        if (packet.payloadType() != payloadType) {
            unparsed++; // not the video the SDP announced
            return null;
        }
        seenSsrc = true;
        ssrc = packet.ssrc();
        return packet;
    }

    private void scheduleReorderExpiry() {
        if (reorder.holding() && reorderExpiry == null && !stopped) {
            reorderExpiry = loop.schedule(() -> {
                reorderExpiry = null;
                if (!stopped) {
                    reorder.expire(System.nanoTime(), REORDER_HOLD.toNanos());
                    scheduleReorderExpiry();
                }
            }, REORDER_HOLD.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void depacketize(RtpPacket packet) {
        if (stopped) {
            return;
        }
        try {
            depacketizer.push(packet);
        } catch (RuntimeException bug) {
            unparsed++;
            log.warn("{}: packet dropped after an unexpected error", where, bug);
        }
    }
}
