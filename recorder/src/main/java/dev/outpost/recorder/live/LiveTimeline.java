package dev.outpost.recorder.live;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.TrackFragmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One viewer's fMP4 timeline: cuts its fragments with one {@link TrackFragmenter} (sequence numbers continuous) and
 * maps the camera's pts to a decode timeline that starts at 0 and never has a gap.
 *
 * <p>Within a run of pictures the viewer receives without a break, decode time follows the camera's pts exactly.
 * When a run starts (the first picture, a skip to a keyframe, the first keyframe after an interruption or a format
 * change, a camera clock that went back or jumped forward), its first picture is rebased to decode exactly where the
 * previous fragment ended. Players need that: MSE takes a decode-time jump of more than twice a frame's duration for
 * a discontinuity and leaves a hole in the buffered ranges where {@code <video>} stalls for good (only players with
 * gap-jumping code move past it); ffplay and other pts-paced players would wait out the gap, giving back the latency
 * the skip just removed; and a camera that reconnects may restart its clock, which would go backwards. The skipped
 * time is simply not on the viewer's timeline; {@code prft} still gives each fragment's true capture time.
 *
 * <p>Used by the thread that drains the viewer; not thread-safe.
 */
final class LiveTimeline {
    /** A pts step larger than this (1 s) inside a run is taken for a break in the camera's clock. */
    static final long MAX_STEP_90K = 90_000;

    private final TrackFragmenter fragmenter = new TrackFragmenter(Fragment.TIMESCALE_90K);
    private boolean started;
    private long lastCameraPts;
    /** Camera pts minus decode time, for the current run. */
    private long offset;
    /** Decode time after the last fragment written. */
    private long end;
    /** The last known picture duration, which measures the last picture of a fragment whose successor is unknown. */
    private long lastDuration90k;

    /** @param durationHint90k a picture's duration until two pictures measured one; the stream's frame interval */
    LiveTimeline(long durationHint90k) {
        this.lastDuration90k = Math.clamp(durationHint90k, 1, MAX_STEP_90K);
    }

    /** Whether {@code next} can follow {@code previous} in one run. */
    static boolean follows(long previousPts, long nextPts) {
        return nextPts > previousPts && nextPts - previousPts <= MAX_STEP_90K;
    }

    /** Whether a picture with this pts would continue the run of the last one written. */
    boolean continues(long cameraPts) {
        return started && follows(lastCameraPts, cameraPts);
    }

    /**
     * The next fragment.
     *
     * @param units         pictures in order, each following the one before ({@link #follows})
     * @param newRun        whether the first one starts a new run (after a skip, an interruption, a new format)
     * @param nextCameraPts the pts of the picture that will come next in the same run, when it is already known
     */
    byte[] fragment(List<AccessUnit> units, boolean newRun, OptionalLong nextCameraPts) {
        AccessUnit first = units.getFirst();
        if (newRun || !continues(first.pts90k())) {
            offset = first.pts90k() - end;
        } else {
            lastDuration90k = first.pts90k() - lastCameraPts;
        }
        List<AccessUnit> rebased = new ArrayList<>(units.size());
        AccessUnit previous = null;
        for (AccessUnit u : units) {
            if (previous != null) {
                lastDuration90k = u.pts90k() - previous.pts90k();
            }
            rebased.add(new AccessUnit(u.pts90k() - offset, u.captureMicros(), u.keyframe(), u.avcc()));
            previous = u;
        }
        AccessUnit last = units.getLast();
        long next = nextCameraPts.isPresent() && follows(last.pts90k(), nextCameraPts.getAsLong())
                ? nextCameraPts.getAsLong() - offset
                : last.pts90k() - offset + lastDuration90k;
        byte[] bytes = fragmenter.fragment(rebased, OptionalLong.of(next));
        end = next;
        lastCameraPts = last.pts90k();
        started = true;
        return bytes;
    }

    /** Decode time (90 kHz) where the next fragment starts. */
    long end() {
        return end;
    }

    long nextSequenceNumber() {
        return fragmenter.nextSequenceNumber();
    }
}
