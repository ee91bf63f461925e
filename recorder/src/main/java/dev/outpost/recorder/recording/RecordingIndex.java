package dev.outpost.recorder.recording;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The wall-clock index of one camera stream's recording, in memory: its segments by start time and the reasons for
 * the gaps between them. The stream's writer adds and extends segments, {@link Retention} removes the oldest, the
 * playback and timeline API reads; all thread-safe (one lock, nothing blocking under it).
 *
 * <p>A hole between two segments is a gap. Its reason is the one recorded when the recording stopped before it
 * ({@link #interrupted}); after a rebuild from disk, holes between old segments are "not recorded" (reasons live only
 * in memory) and the hole from the last segment before the restart to the first after it is "recorder down".
 */
public final class RecordingIndex {
    /** Holes up to this long between segments are timestamp jitter, not gaps. */
    static final Duration CONTIGUOUS = Duration.ofSeconds(2);
    static final String NOT_RECORDED = "not recorded";
    static final String RECORDER_DOWN = "recorder down";
    /** After the segment being written: its last second is still gathered into a fragment, or is yet to come. */
    static final String BEING_RECORDED = "being recorded";

    private final String cameraId;
    private final String stream;
    private final TreeMap<Instant, Segment> segments = new TreeMap<>();
    /** Gap reasons by the time the recording stopped. */
    private final TreeMap<Instant, String> stops = new TreeMap<>();
    private Optional<Path> openFile = Optional.empty();
    private long bytes;

    public RecordingIndex(String cameraId, String stream) {
        this.cameraId = cameraId;
        this.stream = stream;
    }

    public String cameraId() {
        return cameraId;
    }

    /** {@code hd} or {@code sd}. */
    public String stream() {
        return stream;
    }

    /** Adds a segment found on disk or just opened, or replaces the one with the same start. */
    public synchronized void put(Segment segment) {
        Segment old = segments.put(segment.start(), segment);
        bytes += segment.bytes() - (old == null ? 0 : old.bytes());
    }

    /** The segment being written, which retention leaves alone. */
    synchronized void open(Segment segment) {
        put(segment);
        openFile = Optional.of(segment.file());
    }

    synchronized void closed() {
        openFile = Optional.empty();
    }

    synchronized boolean isOpen(Segment segment) {
        return openFile.filter(segment.file()::equals).isPresent();
    }

    /** The recording stopped at {@code at}; the hole until the next segment is a gap for {@code reason}. */
    public synchronized void interrupted(Instant at, String reason) {
        stops.put(at, reason);
    }

    /** After a rebuild: whatever comes next follows a time the recorder was not running. */
    synchronized void recorderRestarted() {
        Optional.ofNullable(segments.lastEntry()).ifPresent(e -> stops.put(e.getValue().end(), RECORDER_DOWN));
    }

    public synchronized boolean remove(Segment segment) {
        if (segments.remove(segment.start(), segment)) {
            bytes -= segment.bytes();
            stops.headMap(segment.end()).clear();
            return true;
        }
        return false;
    }

    public synchronized List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    public synchronized Optional<Segment> oldest() {
        return Optional.ofNullable(segments.firstEntry()).map(e -> e.getValue());
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return segments.size();
    }

    /** The segment that holds {@code at}, to start playback from. */
    public synchronized Optional<Segment> segmentAt(Instant at) {
        return Optional.ofNullable(segments.floorEntry(at)).map(e -> e.getValue()).filter(s -> s.covers(at));
    }

    /**
     * The timeline between {@code from} and {@code to}: recorded ranges (contiguous segments merged) and the gaps
     * between them, clipped to the window, in order. Time after the last segment is a gap too (nothing recorded yet,
     * or the recording stopped).
     */
    public synchronized List<TimelineRange> ranges(Instant from, Instant to) {
        List<TimelineRange> out = new ArrayList<>();
        if (!from.isBefore(to)) {
            return out;
        }
        Instant cursor = from;
        Instant runStart = null;
        Instant runEnd = null;
        Instant startKey = Optional.ofNullable(segments.floorKey(from)).orElse(from);
        for (Segment s : segments.tailMap(startKey, true).values()) {
            if (!s.end().isAfter(from)) {
                continue;
            }
            if (!s.start().isBefore(to)) {
                break;
            }
            if (runEnd != null && Duration.between(runEnd, s.start()).compareTo(CONTIGUOUS) <= 0) {
                runEnd = later(runEnd, s.end());
                continue;
            }
            if (runEnd != null) {
                out.add(TimelineRange.recorded(runStart, runEnd));
                cursor = runEnd;
            }
            Instant start = later(s.start(), from);
            if (start.isAfter(cursor)) {
                out.add(TimelineRange.gap(cursor, start, reasonAfter(cursor, s.start())));
            }
            runStart = start;
            runEnd = s.end();
        }
        if (runEnd != null) {
            Instant end = runEnd.isAfter(to) ? to : runEnd;
            out.add(TimelineRange.recorded(runStart, end));
            cursor = end;
        }
        if (cursor.isBefore(to)) {
            out.add(TimelineRange.gap(cursor, to, reasonAfter(cursor, to)));
        }
        return out;
    }

    /** The reason the recording stopped in the hole {@code [holeStart, holeEnd)}, or "not recorded". */
    private String reasonAfter(Instant holeStart, Instant holeEnd) {
        Instant searchFrom = holeStart.minus(CONTIGUOUS);
        var stop = stops.subMap(searchFrom, true, holeEnd, false).firstEntry();
        if (stop == null) {
            // The stop may lie before a window that starts inside the gap.
            var before = stops.floorEntry(holeStart);
            Instant lastRecorded = Optional.ofNullable(segments.lowerEntry(holeEnd)).map(e -> e.getValue().end())
                    .orElse(Instant.MIN);
            if (before != null && !before.getKey().isBefore(lastRecorded.minus(CONTIGUOUS))) {
                return before.getValue();
            }
            var last = segments.lastEntry();
            if (last != null && isOpen(last.getValue())
                    && !holeStart.isBefore(last.getValue().end().minus(CONTIGUOUS))) {
                return BEING_RECORDED;
            }
            return NOT_RECORDED;
        }
        return stop.getValue();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public String toString() {
        return cameraId + "/" + stream;
    }
}
