package dev.outpost.recorder.playback;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.Fmp4Writer;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.TrackFragmenter;
import dev.outpost.recorder.recording.RecordingIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A playback as the bytes of one fMP4 stream: an init segment, then one fragment per recorded fragment (about a
 * second each), each with a {@code prft} holding the capture time of its first picture. A new init segment goes out
 * before pictures whose format (SPS/PPS) differs from the one before, as when a camera's resolution was changed.
 * Blocking file I/O: run it on a virtual thread. Not thread-safe.
 */
public final class PlaybackFeed implements AutoCloseable {
    /** At normal speeds a hole longer than this between pictures is a gap, closed up on the playback timeline. */
    static final long GAP_MICROS = 2_000_000;
    /** With keyframes only, pictures are a GOP apart: up to 10 s is still the same recording. */
    static final long KEYFRAMES_GAP_MICROS = 10_000_000;

    private final PlaybackSource source;
    private final PlaybackClock clock;
    private final List<byte[]> ready = new ArrayList<>();
    private final Instant firstCapture;
    private PlaybackSource.Piece pending;
    private StreamFormat format;
    private TrackFragmenter fragmenter;

    private PlaybackFeed(PlaybackSource source, PlaybackRequest request, PlaybackSource.Piece first) {
        this.source = source;
        this.clock = new PlaybackClock(request.speed(), request.keyframesOnly() ? KEYFRAMES_GAP_MICROS : GAP_MICROS);
        this.firstCapture = first.units().getFirst().captureTime();
        this.pending = place(first);
    }

    /**
     * Opens the playback of {@code request} from {@code index}; empty when nothing is recorded from its start to its
     * end.
     *
     * @throws IOException when a segment cannot be read
     * @throws dev.outpost.media.mp4.Mp4FormatException when a segment is damaged past what a crash leaves
     */
    public static Optional<PlaybackFeed> open(RecordingIndex index, PlaybackRequest request) throws IOException {
        PlaybackSource source = new PlaybackSource(index, request);
        try {
            Optional<PlaybackSource.Piece> first = source.next();
            if (first.isEmpty()) {
                source.close();
                return Optional.empty();
            }
            return Optional.of(new PlaybackFeed(source, request, first.get()));
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Capture time of the first picture played: the keyframe at or before the requested start. */
    public Instant firstCapture() {
        return firstCapture;
    }

    /** The next bytes of the stream (the init segment first); empty at its end. */
    public Optional<byte[]> next() throws IOException {
        while (ready.isEmpty() && pending != null) {
            Optional<PlaybackSource.Piece> after = source.next();
            PlaybackSource.Piece placed = after.map(this::place).orElse(null);
            // The timeline runs on across a change of format, so the next picture's time ends this piece either way.
            OptionalLong nextPts = OptionalLong.of(placed == null ? clock.nextPts90k()
                    : placed.units().getFirst().pts90k());
            emit(pending, nextPts);
            pending = placed;
        }
        return ready.isEmpty() ? Optional.empty() : Optional.of(ready.removeFirst());
    }

    private PlaybackSource.Piece place(PlaybackSource.Piece piece) {
        List<AccessUnit> placed = new ArrayList<>(piece.units().size());
        for (AccessUnit unit : piece.units()) {
            placed.add(clock.place(unit));
        }
        return new PlaybackSource.Piece(piece.init(), placed);
    }

    private void emit(PlaybackSource.Piece piece, OptionalLong nextPts) {
        StreamFormat pieceFormat = piece.init().format();
        if (!pieceFormat.equals(format)) {
            format = pieceFormat;
            fragmenter = new TrackFragmenter(Fragment.TIMESCALE_90K);
            ready.add(Fmp4Writer.initSegment(pieceFormat, Fragment.TIMESCALE_90K));
        }
        ready.add(fragmenter.fragment(piece.units(), nextPts));
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
