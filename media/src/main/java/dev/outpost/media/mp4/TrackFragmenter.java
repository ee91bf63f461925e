package dev.outpost.media.mp4;

import dev.outpost.media.h264.AccessUnit;
import java.util.List;
import java.util.OptionalLong;

/**
 * Numbers one track's fragments and keeps its decode timeline: sequence numbers from 1, decode time = pts (camera
 * streams have no B-frames), and the last duration of a fragment whose next pts is not known yet taken from the
 * duration before it, even across fragments, so a live stream can send each picture as soon as it arrives. One
 * per track and per output (a recording segment, a live viewer's stream); not thread-safe.
 */
public final class TrackFragmenter {
    private final int timescale;
    private long nextSequenceNumber = 1;
    private long lastDuration90k = -1;
    private long lastPts90k = Long.MIN_VALUE;

    /** @param timescale the init segment's timescale; 90000 keeps pts exact */
    public TrackFragmenter(int timescale) {
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale " + timescale + " is not positive");
        }
        this.timescale = timescale;
    }

    /**
     * The next fragment of access units that follow the previous fragment's.
     *
     * @param nextPts the pts of the access unit after the last, when already known
     * @throws IllegalArgumentException when the units do not come after the previous fragment's, or when the very
     *                                  first fragment is one unit without a next pts (there is no duration to copy)
     */
    public byte[] fragment(List<AccessUnit> units, OptionalLong nextPts) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a fragment has at least one access unit");
        }
        AccessUnit first = units.getFirst();
        if (first.pts90k() <= lastPts90k) {
            throw new IllegalArgumentException("pts " + first.pts90k() + " is not after the previous fragment's last"
                    + " pts " + lastPts90k);
        }
        AccessUnit last = units.getLast();
        OptionalLong end = nextPts;
        if (end.isEmpty() && units.size() == 1 && lastDuration90k > 0) {
            end = OptionalLong.of(last.pts90k() + lastDuration90k);
        }
        Fragment fragment = Fragment.fromAccessUnits(nextSequenceNumber, units,
                Fragment.toTimescale(first.pts90k(), timescale), end, timescale);
        byte[] bytes = Fmp4Writer.fragment(fragment);
        nextSequenceNumber = (nextSequenceNumber + 1) & 0xFFFF_FFFFL;
        lastDuration90k = end.isPresent() ? end.getAsLong() - last.pts90k()
                : last.pts90k() - units.get(units.size() - 2).pts90k();
        lastPts90k = last.pts90k();
        return bytes;
    }

    /** The sequence number the next fragment will carry. */
    public long nextSequenceNumber() {
        return nextSequenceNumber;
    }
}
