package dev.outpost.recorder.recording;

import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.InitSegment;
import dev.outpost.media.mp4.Mp4FormatException;
import dev.outpost.media.mp4.ProducerReferenceTime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a segment file holds without reading its video: walks the top-level box headers (seeking past each
 * {@code mdat}), then parses the init segment and the first and last complete fragments with {@link BoxReader}. A
 * file cut by a crash (a box running past the end, or a fragment without its {@code mdat}) is valid up to its last
 * complete fragment; {@link #scan} says where that ends so the caller can truncate it.
 */
final class SegmentScanner {
    /** A moov, moof or prft bigger than this is not what the recorder writes. */
    static final int MAX_HEADER_BOX = 4 << 20;
    /** One ~1 s fragment; at 64 MiB that is 500 Mbit/s, far past any camera. */
    static final int MAX_FRAGMENT = 64 << 20;

    /**
     * What a segment file holds.
     *
     * @param init        its format and timescale
     * @param start       capture wall clock of the first picture
     * @param end         capture wall clock where the last complete fragment ends
     * @param validLength bytes up to the end of the last complete fragment
     * @param fragments   complete fragments
     */
    record Scan(InitSegment init, Instant start, Instant end, long validLength, int fragments) {
    }

    private record BoxHeader(String type, long offset, long size) {
        long end() {
            return offset + size;
        }
    }

    private record FragmentSpan(long offset, long end) {
    }

    private SegmentScanner() {
    }

    /**
     * @throws Mp4FormatException when the file does not start with an init segment or has no complete fragment
     * @throws IOException        when it cannot be read
     */
    static Scan scan(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            List<BoxHeader> boxes = topLevelBoxes(ch, length);
            if (boxes.size() < 2 || !boxes.get(0).type().equals("ftyp") || !boxes.get(1).type().equals("moov")) {
                throw new Mp4FormatException(0, "does not start with a complete init segment (ftyp, moov)");
            }
            BoxHeader moov = boxes.get(1);
            if (moov.end() > MAX_HEADER_BOX) {
                throw new Mp4FormatException(0, "init segment of " + moov.end() + " bytes is too big");
            }
            InitSegment init = BoxReader.readInitSegment(read(ch, 0, moov.end()));
            List<FragmentSpan> fragments = fragments(boxes);
            // The last fragment's sizes may be right while its bytes are not (a torn write): take the last that parses.
            for (int last = fragments.size() - 1; last >= 0; last--) {
                Fragment end;
                try {
                    end = readFragment(ch, fragments.get(last));
                } catch (RuntimeException e) {
                    continue; // torn or damaged: try the fragment before it
                }
                Fragment first = last == 0 ? end : readFragment(ch, fragments.getFirst());
                Instant startTime = startOf(first, init.timescale());
                Instant endTime = endOf(end, init.timescale());
                if (endTime.isBefore(startTime)) {
                    throw new Mp4FormatException(fragments.get(last).offset(), "last fragment ends at " + endTime
                            + ", before the first starts (" + startTime + ")");
                }
                return new Scan(init, startTime, endTime, fragments.get(last).end(), last + 1);
            }
            throw new Mp4FormatException(moov.end(), "no complete fragment");
        }
    }

    /** The complete top-level boxes, stopping at the first that is cut short or malformed. */
    private static List<BoxHeader> topLevelBoxes(FileChannel ch, long length) throws IOException {
        List<BoxHeader> boxes = new ArrayList<>();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(16);
        while (length - pos >= 8) {
            header.clear().limit((int) Math.min(16, length - pos));
            readFully(ch, header, pos);
            long size = header.getInt(0) & 0xFFFF_FFFFL;
            String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
            int headerSize = 8;
            if (size == 1) {
                if (header.limit() < 16) {
                    break;
                }
                size = header.getLong(8);
                headerSize = 16;
            } else if (size == 0) {
                size = length - pos;
            }
            if (size < headerSize || size > length - pos) {
                break; // cut by a crash, or garbage: what follows is not read
            }
            boxes.add(new BoxHeader(type, pos, size));
            pos += size;
        }
        return boxes;
    }

    /** prft (optional) + moof + mdat triples, in order. */
    private static List<FragmentSpan> fragments(List<BoxHeader> boxes) {
        List<FragmentSpan> spans = new ArrayList<>();
        long start = -1;
        boolean moof = false;
        for (BoxHeader box : boxes.subList(2, boxes.size())) {
            switch (box.type()) {
                case "prft" -> {
                    start = box.offset();
                    moof = false;
                }
                case "moof" -> {
                    start = start < 0 ? box.offset() : start;
                    moof = true;
                }
                case "mdat" -> {
                    if (moof) {
                        spans.add(new FragmentSpan(start, box.end()));
                    }
                    start = -1;
                    moof = false;
                }
                default -> {
                    start = -1;
                    moof = false;
                }
            }
        }
        return spans;
    }

    private static Fragment readFragment(FileChannel ch, FragmentSpan span) throws IOException {
        if (span.end() - span.offset() > MAX_FRAGMENT) {
            throw new Mp4FormatException(span.offset(), "fragment of " + (span.end() - span.offset())
                    + " bytes is too big");
        }
        return BoxReader.readFragment(read(ch, span.offset(), span.end()));
    }

    static Instant startOf(Fragment f, int timescale) {
        ProducerReferenceTime prft = f.producerReferenceTime().orElseThrow(() ->
                new Mp4FormatException(0, "fragment " + f.sequenceNumber() + " has no 'prft' (wall clock)"));
        return micros(prft.wallClockMicros() + ticksToMicros(f.baseMediaDecodeTime() - prft.mediaTime(), timescale));
    }

    static Instant endOf(Fragment f, int timescale) {
        ProducerReferenceTime prft = f.producerReferenceTime().orElseThrow(() ->
                new Mp4FormatException(0, "fragment " + f.sequenceNumber() + " has no 'prft' (wall clock)"));
        return micros(prft.wallClockMicros() + ticksToMicros(f.endDecodeTime() - prft.mediaTime(), timescale));
    }

    static long ticksToMicros(long ticks, int timescale) {
        return Math.floorDiv(ticks * 1_000_000L, timescale);
    }

    static Instant micros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static byte[] read(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(to - from));
        readFully(ch, buf, from);
        return buf.array();
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new Mp4FormatException(pos, "file ended while reading");
            }
            pos += n;
        }
    }
}
