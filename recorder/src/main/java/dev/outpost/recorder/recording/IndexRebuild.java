package dev.outpost.recorder.recording;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a stream's {@link RecordingIndex} from its directory ({@code {yyyy-MM-dd}/{startMillis}.mp4}) when the recorder
 * starts. A segment cut by a crash is truncated to its last complete fragment and kept; a file that is not a segment
 * (no init segment, no complete fragment) is renamed {@code .corrupt} with a log line. Nothing here throws: a disk
 * that cannot be listed gives an index of what could be read.
 */
final class IndexRebuild {
    private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);

    private IndexRebuild() {
    }

    /** Adds the segments under {@code streamDir} to {@code index}; the time after the last one is "recorder down". */
    static void into(RecordingIndex index, Path streamDir) {
        if (!Files.isDirectory(streamDir)) {
            return;
        }
        try (DirectoryStream<Path> days = Files.newDirectoryStream(streamDir, Files::isDirectory)) {
            for (Path day : days) {
                Map<String, Segment> closed = ClosedSegments.read(day);
                try (DirectoryStream<Path> files = Files.newDirectoryStream(day, "*.mp4")) {
                    for (Path file : files) {
                        Segment listed = closed.get(file.getFileName().toString());
                        if (listed != null && sizeOf(file) == listed.bytes()) {
                            index.put(listed); // closed cleanly and unchanged since
                        } else {
                            readSegment(index, file);
                        }
                    }
                } catch (IOException e) {
                    log.warn("recording {}: cannot list {}: {}", index, day, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("recording {}: cannot list {}: {}", index, streamDir, e.toString());
        }
        index.recorderRestarted();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void readSegment(RecordingIndex index, Path file) {
        try {
            long length = Files.size(file);
            SegmentScanner.Scan scan = SegmentScanner.scan(file);
            if (scan.validLength() < length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validLength());
                    ch.force(true);
                }
                log.info("recording {}: {} was cut short (a crash?); kept its {} complete fragments ({} of {} bytes)",
                        index, file, scan.fragments(), scan.validLength(), length);
            }
            index.put(new Segment(file, scan.start(), scan.end(), scan.validLength()));
        } catch (IOException e) {
            log.warn("recording {}: cannot read {}: {}; left out of the index", index, file, e.toString());
        } catch (RuntimeException e) {
            // Mp4FormatException, H264FormatException (a bad avcC), or anything a damaged file provokes.
            moveAside(index, file, e.getMessage());
        }
    }

    private static void moveAside(RecordingIndex index, Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("recording {}: {} is not a readable segment ({}); moved aside to {}", index, file, why, aside);
        } catch (IOException e) {
            log.warn("recording {}: {} is not a readable segment ({}) and cannot be moved aside: {}", index, file,
                    why, e.toString());
        }
    }
}
