package dev.outpost.recorder.playback;

import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The recorded pictures of one time range, in order, a recorded fragment at a time, each with the format that decodes
 * it: from the keyframe at or before the start (or the first after it, when the start falls in a gap) to the last
 * picture captured before the end. What a clip export decodes. Blocking file I/O. Not thread-safe.
 */
public final class RecordedStretch implements AutoCloseable {
    private final PlaybackSource source;

    private RecordedStretch(PlaybackSource source) {
        this.source = source;
    }

    public static RecordedStretch open(RecordingIndex index, String cameraId, StreamKind kind, Instant start,
                                       Instant end) {
        return new RecordedStretch(new PlaybackSource(index,
                new PlaybackRequest(cameraId, kind, start, Optional.of(end), 1)));
    }

    /** The next pictures, the first of a new format always a keyframe; empty at the end of the range. */
    public Optional<RecordedPictures.Run> next() throws IOException {
        return source.next().map(piece -> new RecordedPictures.Run(piece.init().format(), piece.units()));
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
