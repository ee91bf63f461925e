package dev.outpost.recorder.exports;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.playback.RecordedPictures;
import dev.outpost.recorder.playback.RecordedStretch;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.wire.api.ExportRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Makes one clip: reads the recorded pictures of each range of an {@link ExportRequest} (the camera's main stream),
 * decodes them, and writes them to one MP4 at the {@link ClipQuality}'s size. Ranges follow one another on the clip's
 * timeline, and so do recordings across a gap inside a range: a clip shows what was recorded, without black holes.
 * Blocking and CPU-bound (one core): run it on a virtual thread, bounded by the caller.
 */
final class ClipMaker {
    /** A capture-time step longer than this between pictures is a gap, closed up to one picture's time. */
    static final long GAP_MICROS = 2_000_000;
    static final long DEFAULT_STEP_MICROS = 66_667;

    /** What was made. */
    record Made(int width, int height, long pictures, long durationMicros, Instant firstCapture, Instant lastCapture) {
    }

    private final RecordingIndex index;
    private final ExportRequest request;
    private final ClipQuality quality;
    private final Path file;
    private final LongConsumer progressMicros;
    private ClipWriter writer;
    private long lastCapture = Long.MIN_VALUE;
    private long stepMicros = DEFAULT_STEP_MICROS;
    private long pts90k = -1;
    private long firstCapture = Long.MIN_VALUE;
    private int[] size;
    /** The decoder of the current format, kept across runs: a run may start between keyframes. */
    private ClipDecoder decoder;
    private StreamFormat decoderFormat;
    /** The pictures sent to the decoder and not yet out of it, by tag. */
    private final java.util.TreeMap<Long, AccessUnit> inDecoder = new java.util.TreeMap<>();
    private long nextTag;
    /** The next picture placed opens a range: it follows the last one by one picture's time, however far apart. */
    private boolean rangeStarts;

    /**
     * @param progressMicros told, now and then, how much recorded time of the ranges is encoded
     */
    ClipMaker(RecordingIndex index, ExportRequest request, Path file, LongConsumer progressMicros) {
        this.index = index;
        this.request = request;
        this.quality = ClipQuality.of(request.quality());
        this.file = file;
        this.progressMicros = progressMicros;
    }

    /**
     * Writes the clip to {@code file}.
     *
     * @throws ClipException when nothing is recorded in any range, or the recording cannot be decoded
     */
    Made make() throws ClipException, IOException {
        long doneBefore = 0;
        try {
            for (ExportRequest.Range range : request.ranges()) {
                long rangeStart = micros(range.start());
                try (RecordedStretch stretch = RecordedStretch.open(index, request.cameraId(), StreamKind.MAIN,
                        range.start(), range.end())) {
                    for (var run = stretch.next(); run.isPresent(); run = stretch.next()) {
                        encode(run.get());
                        long covered = Math.max(0, run.get().pictures().getLast().captureMicros() - rangeStart);
                        progressMicros.accept(doneBefore + Math.min(covered, micros(range.end()) - rangeStart));
                    }
                }
                closeDecoder(); // the range's last pictures, before the next range's
                rangeStarts = true;
                doneBefore += micros(range.end()) - rangeStart;
                progressMicros.accept(doneBefore);
            }
            closeDecoder();
            if (writer == null || writer.pictures() == 0) {
                throw new ClipException("nothing of camera " + request.cameraId() + " is recorded in the ranges asked"
                        + " for (or none of it could be decoded); ask GET /api/cameras/" + request.cameraId()
                        + "/recordings for what is");
            }
            writer.finish();
            long duration = (pts90k + stepMicros * 90 / 1000) * 1000 / 90;
            return new Made(size[0], size[1], writer.pictures(), duration, instant(firstCapture),
                    instant(lastCapture));
        } finally {
            if (decoder != null) {
                decoder.close();
            }
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** Takes the last pictures out of the decoder and frees it. */
    private void closeDecoder() throws ClipException {
        if (decoder == null) {
            return;
        }
        try {
            decoder.flush(this::place);
        } finally {
            decoder.close();
            decoder = null;
            decoderFormat = null;
            inDecoder.clear();
        }
    }

    /** Decodes one run of recorded pictures and writes them on the clip's timeline. */
    private void encode(RecordedPictures.Run run) throws ClipException {
        List<AccessUnit> pictures = run.pictures();
        if (pictures.isEmpty()) {
            return;
        }
        StreamFormat format = run.format();
        if (writer == null) {
            size = quality.size(format.width(), format.height());
            writer = new ClipWriter(file, size[0], size[1], framesPerSecond(pictures),
                    quality.bitRate((long) size[0] * size[1]));
        }
        if (!format.equals(decoderFormat)) {
            closeDecoder();
            decoder = new ClipDecoder(format);
            decoderFormat = format;
        }
        for (AccessUnit picture : pictures) {
            long tag = nextTag++;
            inDecoder.put(tag, picture);
            decoder.decode(picture, tag, this::place);
            while (inDecoder.size() > 64) {
                inDecoder.pollFirstEntry(); // a picture the decoder never gave back (rejected): forget it
            }
        }
    }

    private void place(AVFrame frame) throws ClipException {
        AccessUnit picture = inDecoder.remove(frame.pts());
        if (picture == null) {
            return;
        }
        long capture = picture.captureMicros();
        if (pts90k < 0) {
            pts90k = 0;
            firstCapture = capture;
        } else {
            long delta = capture - lastCapture;
            if (rangeStarts) {
                delta = stepMicros;
            } else if (delta > 0 && delta <= GAP_MICROS) {
                stepMicros = delta;
            } else {
                delta = stepMicros; // a gap between recordings or ranges: one picture's time
            }
            pts90k += Math.max(1, delta * 90 / 1000);
        }
        lastCapture = capture;
        rangeStarts = false;
        writer.write(frame, pts90k, Math.max(1, stepMicros * 90 / 1000));
    }

    /** The recording's picture rate, from the median distance between its first pictures: the encoder's rate control. */
    static int framesPerSecond(List<AccessUnit> pictures) {
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < Math.min(pictures.size(), 31); i++) {
            long step = pictures.get(i).captureMicros() - pictures.get(i - 1).captureMicros();
            if (step > 0 && step <= GAP_MICROS) {
                steps.add(step);
            }
        }
        if (steps.isEmpty()) {
            return 15;
        }
        steps.sort(null);
        long median = steps.get(steps.size() / 2);
        return (int) Math.max(1, Math.min(60, Math.round(1_000_000.0 / median)));
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
