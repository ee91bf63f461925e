package dev.outpost.recorder.playback;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.mp4.InitSegment;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.Segment;
import dev.outpost.recorder.recording.SegmentReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorded pictures a playback plays, in order, one recorded fragment at a time: from the keyframe at or before
 * the start (or the first recorded after it, when the start falls in a gap), through every segment that follows, to
 * the end. Segments are the index's at the moment playback began; one deleted by retention meanwhile is skipped.
 * Blocking file I/O. Not thread-safe.
 */
final class PlaybackSource implements AutoCloseable {
    /** Pictures recorded at once, with the format to decode them. */
    record Piece(InitSegment init, List<AccessUnit> units) {
        Piece {
            units = List.copyOf(units);
        }
    }

    /**
     * Pictures held while looking for the start: the keyframe before it and those after. A GOP longer than this
     * (20 s at 30 fps) starts playback at the next keyframe instead.
     */
    static final int MAX_SEEK_PICTURES = 600;

    private static final Logger log = LoggerFactory.getLogger(PlaybackSource.class);

    private final PlaybackRequest request;
    private final long startMicros;
    private final long endMicros;
    private final Deque<Segment> segments;
    private final List<AccessUnit> seekBuffer = new ArrayList<>();
    private SegmentReader reader;
    /** The format of the pictures in the seek buffer. */
    private InitSegment seekInit;
    private boolean seeking = true;
    private boolean done;

    PlaybackSource(RecordingIndex index, PlaybackRequest request) {
        this.request = request;
        this.startMicros = micros(request.start());
        this.endMicros = request.end().map(PlaybackSource::micros).orElse(Long.MAX_VALUE);
        this.segments = new ArrayDeque<>();
        for (Segment s : index.segments()) {
            boolean beforeStart = !s.end().isAfter(request.start()) && !s.covers(request.start());
            boolean afterEnd = request.end().isPresent() && !s.start().isBefore(request.end().get());
            if (!beforeStart && !afterEnd) {
                segments.add(s);
            }
        }
    }

    /** The next recorded pictures to play; empty when playback is over. */
    Optional<Piece> next() throws IOException {
        while (!done) {
            if (reader == null && !openNextSegment()) {
                done = true;
                break;
            }
            Optional<List<AccessUnit>> fragment = reader.nextFragment();
            if (fragment.isEmpty()) {
                reader.close();
                reader = null;
                continue;
            }
            List<AccessUnit> out = keyframesFiltered(take(fragment.get(), reader.init()));
            if (!out.isEmpty()) {
                return Optional.of(new Piece(reader.init(), out));
            }
        }
        if (seeking && !seekBuffer.isEmpty()) {
            // The recording ends between the keyframe before the start and the start: play that GOP's end.
            seeking = false;
            Piece last = new Piece(seekInit, keyframesFiltered(seekBuffer));
            seekBuffer.clear();
            return Optional.of(last);
        }
        return Optional.empty();
    }

    private List<AccessUnit> take(List<AccessUnit> units, InitSegment init) {
        List<AccessUnit> out = new ArrayList<>();
        for (AccessUnit unit : units) {
            if (unit.captureMicros() >= endMicros) {
                done = true;
                break;
            }
            if (!seeking) {
                out.add(unit);
                continue;
            }
            if (unit.captureMicros() < startMicros) {
                if (unit.keyframe() || seekBuffer.size() >= MAX_SEEK_PICTURES) {
                    seekBuffer.clear();
                }
                if (unit.keyframe() || !seekBuffer.isEmpty()) {
                    seekBuffer.add(unit);
                    seekInit = init;
                }
                continue;
            }
            if (seekBuffer.isEmpty() && !unit.keyframe()) {
                continue; // nothing decodable yet: wait for a keyframe
            }
            seeking = false;
            if (unit.keyframe()) {
                seekBuffer.clear(); // a keyframe at the start itself: start there
            }
            out.addAll(seekBuffer);
            seekBuffer.clear();
            out.add(unit);
        }
        return out;
    }

    private List<AccessUnit> keyframesFiltered(List<AccessUnit> units) {
        List<AccessUnit> out = new ArrayList<>(units);
        if (request.keyframesOnly()) {
            out.removeIf(unit -> !unit.keyframe());
        }
        return out;
    }

    private boolean openNextSegment() throws IOException {
        while (!segments.isEmpty()) {
            Segment segment = segments.poll();
            try {
                reader = SegmentReader.open(segment.file());
                if (seeking && !seekBuffer.isEmpty()) {
                    // Keep the keyframe held only while the next segment continues the same picture sequence.
                    seekBuffer.clear();
                }
                return true;
            } catch (NoSuchFileException e) {
                log.debug("{}: segment {} was deleted by retention during playback; skipped", request.cameraId(),
                        segment.file());
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
