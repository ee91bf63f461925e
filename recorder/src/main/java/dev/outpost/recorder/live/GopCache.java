package dev.outpost.recorder.live;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The current group of pictures of one camera stream (its latest keyframe and every picture since) and the stream's
 * format, so a new viewer can start decoding at once instead of waiting for the next keyframe.
 *
 * <p>Bounded by pictures and bytes. A GOP longer than the bound keeps its keyframe and the pictures after it that fit;
 * later pictures of that GOP are not kept and the snapshot says it is {@linkplain Snapshot#complete() incomplete}: a
 * new viewer then shows that prefix at once and continues live from the next keyframe (pictures after a gap in the
 * prefix would not decode). Not thread-safe: {@link LiveHub} guards it.
 */
public final class GopCache {
    /**
     * @param maxPictures pictures kept from a keyframe on; 300 holds a 10 s GOP at 30 fps
     * @param maxBytes    bytes of those pictures; 8 MiB holds 4 s of a 16 Mbit/s 4K stream
     */
    public record Limits(int maxPictures, long maxBytes) {
        public static final Limits DEFAULT = new Limits(300, 8L << 20);

        public Limits {
            if (maxPictures < 1) {
                throw new IllegalArgumentException("GOP cache maxPictures " + maxPictures + " is less than 1");
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("GOP cache maxBytes " + maxBytes + " is less than 1");
            }
        }
    }

    /**
     * What a new viewer starts with.
     *
     * @param format   the stream's format, empty before the camera gave one
     * @param pictures a keyframe and the pictures after it, in order; empty when no keyframe came since the format
     *                 (or since an interruption)
     * @param complete whether {@code pictures} run up to the stream's latest picture, so live pictures follow them
     *                 without a gap
     */
    public record Snapshot(Optional<StreamFormat> format, List<AccessUnit> pictures, boolean complete) {
        public Snapshot {
            pictures = List.copyOf(pictures);
        }
    }

    private final Limits limits;
    private Optional<StreamFormat> format = Optional.empty();
    private final List<AccessUnit> pictures = new ArrayList<>();
    private long bytes;
    private boolean truncated;

    public GopCache(Limits limits) {
        this.limits = limits;
    }

    public Optional<StreamFormat> format() {
        return format;
    }

    /**
     * Sets the stream's format; returns whether it changed. A new format drops the cached pictures, which the new
     * format's init segment would not describe.
     */
    public boolean format(StreamFormat newFormat) {
        if (format.isPresent() && format.get().equals(newFormat)) {
            return false;
        }
        format = Optional.of(newFormat);
        clearPictures();
        return true;
    }

    /** Adds the stream's next picture: a keyframe starts a new GOP; other pictures join the current one if it fits. */
    public void add(AccessUnit unit) {
        if (unit.keyframe()) {
            clearPictures();
        } else if (pictures.isEmpty()) {
            return; // no keyframe to decode it from: the stream started mid-GOP
        } else if (truncated || pictures.size() >= limits.maxPictures()
                || bytes + unit.size() > limits.maxBytes()) {
            truncated = true; // the GOP outgrew the bound: keep its prefix, the next keyframe starts afresh
            return;
        }
        pictures.add(unit);
        bytes += unit.size();
    }

    /** Forgets the pictures (the stream was interrupted, and what follows comes after a gap); keeps the format. */
    public void clearPictures() {
        pictures.clear();
        bytes = 0;
        truncated = false;
    }

    public Snapshot snapshot() {
        return new Snapshot(format, pictures, !truncated);
    }

    public int pictureCount() {
        return pictures.size();
    }

    public long byteCount() {
        return bytes;
    }
}
