package dev.outpost.recorder.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A day directory's list of segments that were closed cleanly ({@code segments.idx}, one line per segment:
 * {@code fileName startMicros endMicros bytes}), so a restart reads one small file per day instead of walking the
 * boxes of every segment. A line is trusted only while its file still has exactly that size; a segment without a
 * line (the one a crash cut, or one whose line was lost) is scanned. Lines of deleted segments are ignored.
 */
final class ClosedSegments {
    static final String FILE_NAME = "segments.idx";
    /** A day of 1-minute segments takes ~90 kB; past this the list is not what the recorder writes. */
    static final long MAX_SIZE = 16L << 20;

    private ClosedSegments() {
    }

    /** Appends a closed segment's line and forces it; on failure the segment is simply scanned at the next start. */
    static void append(Segment segment) throws IOException {
        String line = segment.file().getFileName() + " " + micros(segment.start()) + " " + micros(segment.end()) + " "
                + segment.bytes() + "\n";
        try (var ch = java.nio.channels.FileChannel.open(segment.file().resolveSibling(FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            ch.force(false);
        }
    }

    /** The segments a day directory lists, by file name; empty when there is no list or it cannot be read. */
    static Map<String, Segment> read(Path dayDir) {
        Map<String, Segment> segments = new HashMap<>();
        Path list = dayDir.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(list) || Files.size(list) > MAX_SIZE) {
                return segments;
            }
            for (String line : Files.readAllLines(list, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                if (f.length != 4 || !f[0].endsWith(".mp4") || f[0].contains("/")) {
                    continue; // a torn last line after a crash
                }
                try {
                    Instant start = SegmentScanner.micros(Long.parseLong(f[1]));
                    Instant end = SegmentScanner.micros(Long.parseLong(f[2]));
                    segments.put(f[0], new Segment(dayDir.resolve(f[0]), start, end, Long.parseLong(f[3])));
                } catch (IllegalArgumentException e) {
                    // not a number, or an end before the start: the file is scanned instead
                }
            }
        } catch (IOException | RuntimeException e) {
            segments.clear();
        }
        return segments;
    }

    /** After a segment was deleted: removes the day's list and directory once no segment is left in it. */
    static void removeDayIfEmpty(Path dayDir) throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dayDir, "*.mp4")) {
            if (left.iterator().hasNext()) {
                return;
            }
        }
        Files.deleteIfExists(dayDir.resolve(FILE_NAME));
        try {
            Files.deleteIfExists(dayDir);
        } catch (DirectoryNotEmptyException e) {
            // .corrupt files or anything else a person put there stay, and so does the directory
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
