package dev.outpost.media.mp4;

import dev.outpost.media.h264.AccessUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One movie fragment of Outpost's single video track ({@code prft} + {@code moof} + {@code mdat}), as a value: what
 * {@link Fmp4Writer#fragment(Fragment)} writes and {@link BoxReader#readFragment} gives back. Times are in the
 * track's timescale.
 *
 * <p>Decode times are implicit, as in MP4: the first sample decodes at {@code baseMediaDecodeTime}, each next one a
 * {@link Sample#duration()} later; presentation time is decode time plus {@link Sample#compositionOffset()}.
 *
 * @param sequenceNumber        {@code mfhd} sequence number, 1 for the first fragment and rising by one per
 *                              fragment (unsigned 32-bit)
 * @param baseMediaDecodeTime   {@code tfdt}: decode time of the first sample
 * @param samples               at least one
 * @param producerReferenceTime the capture wall clock of one presentation time, written as {@code prft}
 */
public record Fragment(long sequenceNumber, long baseMediaDecodeTime, List<Sample> samples,
                       Optional<ProducerReferenceTime> producerReferenceTime) {
    /** The timescale of {@link AccessUnit#pts90k()}. */
    public static final int TIMESCALE_90K = 90_000;

    public Fragment {
        samples = List.copyOf(samples);
        Objects.requireNonNull(producerReferenceTime, "producerReferenceTime");
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber + " is not unsigned 32-bit");
        }
        if (baseMediaDecodeTime < 0) {
            throw new IllegalArgumentException("base media decode time " + baseMediaDecodeTime + " is negative");
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a fragment has at least one sample");
        }
    }

    /**
     * Makes a fragment of access units in decode order, which for cameras is presentation order: H.264 from
     * surveillance cameras has no B-frames, so decode time is presentation time ({@code pts90k} scaled to the
     * timescale, shifted so the first sample decodes at {@code baseMediaDecodeTime}) and every composition offset is 0.
     * Each sample lasts until the next one's pts; the last until {@code nextPts} (the pts of the access unit that
     * will open the next fragment), or, when that is not known yet, as long as the one before it.
     *
     * <p>The {@code prft} holds the first access unit's capture time with its presentation time.
     *
     * @throws IllegalArgumentException when pts do not rise strictly (B-frames, or a broken clock), when one sample
     *                                  has no next pts to measure it by, or when a duration overflows 32 bits
     */
    public static Fragment fromAccessUnits(long sequenceNumber, List<AccessUnit> units, long baseMediaDecodeTime,
                                           OptionalLong nextPts, int timescale) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a fragment has at least one access unit");
        }
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale " + timescale + " is not positive");
        }
        int n = units.size();
        long[] ticks = new long[n + 1];
        for (int i = 0; i < n; i++) {
            ticks[i] = toTimescale(units.get(i).pts90k(), timescale);
            if (i > 0 && units.get(i).pts90k() <= units.get(i - 1).pts90k()) {
                throw new IllegalArgumentException("access unit " + i + " has pts " + units.get(i).pts90k()
                        + ", not after " + units.get(i - 1).pts90k() + ": samples must be in presentation order"
                        + " (streams with B-frames are not supported)");
            }
        }
        if (nextPts.isPresent()) {
            if (nextPts.getAsLong() <= units.get(n - 1).pts90k()) {
                throw new IllegalArgumentException("next pts " + nextPts.getAsLong() + " is not after the last"
                        + " access unit's pts " + units.get(n - 1).pts90k());
            }
            ticks[n] = toTimescale(nextPts.getAsLong(), timescale);
        } else if (n >= 2) {
            ticks[n] = ticks[n - 1] + (ticks[n - 1] - ticks[n - 2]);
        } else {
            throw new IllegalArgumentException("the duration of a lone access unit needs the next pts");
        }
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AccessUnit unit = units.get(i);
            long duration = ticks[i + 1] - ticks[i];
            if (duration > Sample.MAX_DURATION) {
                throw new IllegalArgumentException("access unit " + i + " lasts " + duration + " ticks, more than"
                        + " 32 bits hold");
            }
            samples.add(new Sample(duration, 0, unit.keyframe(), unit.avcc()));
        }
        ProducerReferenceTime prft = new ProducerReferenceTime(ProducerReferenceTime.REAL_TIME,
                units.getFirst().captureMicros(), baseMediaDecodeTime);
        return new Fragment(sequenceNumber, baseMediaDecodeTime, samples, Optional.of(prft));
    }

    /** Decode time of the first sample after this fragment. */
    public long endDecodeTime() {
        long t = baseMediaDecodeTime;
        for (Sample s : samples) {
            t += s.duration();
        }
        return t;
    }

    /**
     * The samples as access units: {@code pts90k} is the presentation time converted from {@code timescale}; the
     * capture time is exact for the sample the {@code prft} names and, for the others, that wall clock moved by the
     * media-time distance (a camera's own clock jitter between pictures is not stored in MP4). Without a
     * {@code prft}, capture times are media time since the Unix epoch, which is only good for ordering.
     */
    public List<AccessUnit> accessUnits(int timescale) {
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale " + timescale + " is not positive");
        }
        long referenceMedia = producerReferenceTime.map(ProducerReferenceTime::mediaTime).orElse(0L);
        long referenceMicros = producerReferenceTime.map(ProducerReferenceTime::wallClockMicros).orElse(0L);
        List<AccessUnit> units = new ArrayList<>(samples.size());
        long decodeTime = baseMediaDecodeTime;
        for (Sample s : samples) {
            long pts = decodeTime + s.compositionOffset();
            long capture = referenceMicros + scale(pts - referenceMedia, timescale, 1_000_000);
            units.add(new AccessUnit(scale(pts, timescale, TIMESCALE_90K), capture, s.sync(), s.data()));
            decodeTime += s.duration();
        }
        return units;
    }

    /** A 90 kHz time in another timescale, rounded down, without overflow for any time a camera can reach. */
    static long toTimescale(long pts90k, int timescale) {
        return scale(pts90k, TIMESCALE_90K, timescale);
    }

    static long scale(long t, long from, long to) {
        if (from == to) {
            return t;
        }
        return Math.floorDiv(t, from) * to + Math.floorDiv(Math.floorMod(t, from) * to, from);
    }
}
