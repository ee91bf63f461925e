package dev.outpost.recorder.recording;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.Fmp4Writer;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.TrackFragmenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * One segment file being written: the init segment, then each fragment with one write and {@code force}, so a crash
 * loses at most the fragment being gathered (~1 s). Decode times keep the camera's pts, so a segment's fragments and
 * successive segments line up on one clock. Used by one writer thread.
 */
final class SegmentFile implements AutoCloseable {
    /** Called before each write of a fragment; tests make it fail as a full disk does. */
    @FunctionalInterface
    interface WriteCheck {
        WriteCheck NONE = (file, bytes) -> { };

        void beforeWrite(Path file, int bytes) throws IOException;
    }

    private final Path file;
    private final StreamFormat format;
    private final FileChannel channel;
    private final WriteCheck check;
    private final TrackFragmenter fragmenter = new TrackFragmenter(Fragment.TIMESCALE_90K);
    private final long firstPts;
    private final Instant start;
    private Instant end;
    private long bytes;
    private long lastStep90k;

    private SegmentFile(Path file, StreamFormat format, FileChannel channel, WriteCheck check, AccessUnit first,
                        long bytes) {
        this.file = file;
        this.check = check;
        this.format = format;
        this.channel = channel;
        this.firstPts = first.pts90k();
        this.start = SegmentScanner.micros(first.captureMicros());
        this.end = start;
        this.bytes = bytes;
    }

    /** Creates the file (never replacing one) in an existing directory and writes the init segment. */
    static SegmentFile create(Path file, StreamFormat format, AccessUnit first, WriteCheck check)
            throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            byte[] init = Fmp4Writer.initSegment(format, Fragment.TIMESCALE_90K);
            check.beforeWrite(file, init.length);
            writeFully(channel, init);
            return new SegmentFile(file, format, channel, check, first, init.length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            java.nio.file.Files.deleteIfExists(file); // no empty segment left behind
            throw e;
        }
    }

    /**
     * Writes the units as one fragment and forces it to the disk.
     *
     * @param nextPts pts of the picture after the last, when known; otherwise the last lasts as long as the one before
     */
    void write(List<AccessUnit> units, OptionalLong nextPts) throws IOException {
        AccessUnit last = units.getLast();
        long step = units.size() >= 2 ? last.pts90k() - units.get(units.size() - 2).pts90k()
                : lastStep90k > 0 ? lastStep90k : 3000;
        long endPts = nextPts.orElse(last.pts90k() + step);
        byte[] fragment = fragmenter.fragment(units, OptionalLong.of(endPts));
        check.beforeWrite(file, fragment.length);
        writeFully(channel, fragment);
        channel.force(false);
        lastStep90k = step;
        bytes += fragment.length;
        AccessUnit first = units.getFirst();
        end = SegmentScanner.micros(first.captureMicros()
                + SegmentScanner.ticksToMicros(endPts - first.pts90k(), Fragment.TIMESCALE_90K));
    }

    Segment segment() {
        return new Segment(file, start, end.isBefore(start) ? start : end, bytes);
    }

    long firstPts() {
        return firstPts;
    }

    StreamFormat format() {
        return format;
    }

    Path file() {
        return file;
    }

    /** After a failed write: cuts a partly written fragment off (best effort) and closes the file. */
    void abandon() {
        try (channel) {
            channel.truncate(bytes);
        } catch (IOException | RuntimeException e) {
            // The rebuild at the next start truncates it to its last complete fragment.
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
