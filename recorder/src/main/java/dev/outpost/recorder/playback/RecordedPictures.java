package dev.outpost.recorder.playback;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recorded pictures a decoder needs to show the picture of a moment: from the keyframe at or before it to the
 * last picture captured at or before it, for a snapshot. Blocking file I/O.
 */
public final class RecordedPictures {
    /** The pictures, the first a keyframe, and the format that decodes them. */
    public record Run(StreamFormat format, List<AccessUnit> pictures) {
        public Run {
            pictures = List.copyOf(pictures);
        }
    }

    /** A picture captured up to this long after the moment still counts as "at" it: timestamps are in microseconds. */
    static final Duration TOLERANCE = Duration.ofMillis(1);

    private RecordedPictures() {
    }

    /** The run that ends at {@code at}; empty when {@code at} falls in a gap or outside the recording. */
    public static Optional<Run> at(RecordingIndex index, String cameraId, StreamKind kind, Instant at)
            throws IOException {
        PlaybackRequest upTo = new PlaybackRequest(cameraId, kind, at, Optional.of(at.plus(TOLERANCE)), 1);
        if (index.segmentAt(at).isEmpty()) {
            return Optional.empty();
        }
        try (PlaybackSource source = new PlaybackSource(index, upTo)) {
            StreamFormat format = null;
            List<AccessUnit> pictures = new ArrayList<>();
            for (Optional<PlaybackSource.Piece> piece = source.next(); piece.isPresent(); piece = source.next()) {
                StreamFormat pieceFormat = piece.get().init().format();
                if (!pieceFormat.equals(format)) {
                    format = pieceFormat;
                    pictures.clear();
                }
                pictures.addAll(piece.get().units());
            }
            return pictures.isEmpty() ? Optional.empty() : Optional.of(new Run(format, pictures));
        }
    }
}
