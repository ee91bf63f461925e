package dev.outpost.recorder.recording;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one camera stream to {@code root/{cameraId}/{hd|sd}/{yyyy-MM-dd}/{startMillis}.mp4}: a {@link VideoSink}
 * whose calls only enqueue (never block the camera's event loop) and a virtual writer thread that rebuilds the
 * stream's {@link RecordingIndex} from disk, then writes segments of ~60 s made of ~1 s fragments. Design notes in
 * {@code package-info.java}.
 */
public final class RecordingSink implements VideoSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingSink.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /**
     * @param segmentLength  a new segment starts at the first keyframe this long (in stream time) after the last began
     * @param fragmentLength a fragment is written once it holds this much stream time, and at every keyframe
     * @param queueBytes     bytes of pictures waiting for the disk; past it, pictures are dropped to the next keyframe
     * @param minFreeBytes   a new segment on a disk with less usable space than this runs retention first
     */
    public record Settings(Duration segmentLength, Duration fragmentLength, long queueBytes, long minFreeBytes) {
        /** 60 s segments, 1 s fragments, 32 MiB (30 s at 8 Mbit/s), 256 MiB free. */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(60), Duration.ofSeconds(1),
                32L << 20, 256L << 20);
    }

    private final String cameraId;
    private final StreamKind kind;
    private final Path streamDir;
    private final Settings settings;
    private final Retention retention;
    private final Clock clock;
    private final RecordingIndex index;
    private final SegmentFile.WriteCheck writeCheck;

    private final WriteQueue queue;

    private Thread writer;

    // Status, written by both threads.
    private RecordingStatus.State state = RecordingStatus.State.RECORDING;
    private Instant since;
    private Optional<String> lastError = Optional.empty();

    // Writer thread only.
    private Optional<StreamFormat> format = Optional.empty();
    private Optional<SegmentFile> current = Optional.empty();
    private final List<AccessUnit> pending = new ArrayList<>();
    private long lastStep90k;
    /** The pts of the last picture taken into the current segment. */
    private long lastPts90k;

    /** Records into {@code root}, registering the stream's index with {@code retention}, and starts writing. */
    public static RecordingSink start(String cameraId, StreamKind kind, Path root, Settings settings,
                                      Retention retention, Clock clock) {
        RecordingSink sink = new RecordingSink(cameraId, kind, root, settings, retention, clock,
                SegmentFile.WriteCheck.NONE);
        sink.startWriter();
        return sink;
    }

    /** Without its writer: a test fills the queue, then {@link #startWriter}s. */
    RecordingSink(String cameraId, StreamKind kind, Path root, Settings settings, Retention retention, Clock clock,
                  SegmentFile.WriteCheck writeCheck) {
        this.writeCheck = writeCheck;
        this.cameraId = cameraId;
        this.kind = kind;
        this.streamDir = root.resolve(cameraId).resolve(kind.label());
        this.settings = settings;
        this.retention = retention;
        this.clock = clock;
        this.since = clock.instant();
        this.index = new RecordingIndex(cameraId, kind.label());
        this.queue = new WriteQueue(settings.queueBytes());
        retention.register(index);
    }

    synchronized void startWriter() {
        if (writer == null) {
            writer = Thread.ofVirtual().name("recording-" + cameraId + "-" + kind.label()).start(this::run);
        }
    }

    public RecordingIndex index() {
        return index;
    }

    public synchronized RecordingStatus status() {
        return new RecordingStatus(state, since, lastError, index.bytes(), index.size(), queue.dropped());
    }

    @Override
    public void onFormat(StreamFormat format) {
        queue.offerControl(new WriteQueue.Format(format));
    }

    /**
     * Queues the picture. When the queue is past its bound the picture is dropped, and so is every one after it up
     * to the next keyframe that fits: a counted drop, a gap in the recording, and the state {@code FALLING_BEHIND}.
     */
    @Override
    public void onAccessUnit(AccessUnit unit) {
        if (queue.offer(unit) == WriteQueue.Offer.STARTED_DROPPING) {
            setState(RecordingStatus.State.FALLING_BEHIND, Optional.of("falling behind: the disk does not keep up"
                    + " (queue of " + settings.queueBytes() + " bytes full); dropping pictures to the next keyframe"));
        }
    }

    @Override
    public void onInterruption(String reason) {
        queue.offerControl(new WriteQueue.Stop("camera offline: " + reason, true, false));
    }

    /** Writes what is queued, closes the segment and stops the writer; waits up to 10 s. */
    @Override
    public void close() {
        queue.offerControl(new WriteQueue.Stop("recording stopped", false, true));
        Thread w;
        synchronized (this) {
            w = writer;
        }
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        retention.unregister(index);
    }

    /** Bytes of pictures waiting for the writer. */
    long queuedBytes() {
        return queue.bytes();
    }

    private synchronized void caughtUp() {
        if (state == RecordingStatus.State.FALLING_BEHIND) {
            state = RecordingStatus.State.RECORDING;
            since = clock.instant();
        }
    }

    private void run() {
        IndexRebuild.into(index, streamDir);
        while (true) {
            WriteQueue.Taken taken;
            try {
                taken = queue.take();
            } catch (InterruptedException e) {
                stop("recording stopped");
                return;
            }
            try {
                if (handle(taken.event())) {
                    return;
                }
            } catch (RuntimeException e) {
                // A bug or a picture MP4 cannot hold: this segment ends, the next keyframe starts another.
                log.error("recording {}: cannot write a picture", index, e);
                current.ifPresent(SegmentFile::abandon);
                current.ifPresent(seg -> index.interrupted(seg.segment().end(), "recording failed: internal error"));
                current = Optional.empty();
                index.closed();
                pending.clear();
                setState(RecordingStatus.State.FAILED, Optional.of("internal error while writing: " + e));
            }
            if (taken.caughtUp()) {
                caughtUp();
            }
        }
    }

    /** @return whether the writer is done */
    private boolean handle(WriteQueue.Event event) {
        switch (event) {
            case WriteQueue.Format f -> onFormatChange(f.format());
            case WriteQueue.Picture p -> write(p.unit());
            case WriteQueue.Stop s -> {
                stop(s.cause());
                if (s.close()) {
                    setState(RecordingStatus.State.STOPPED, lastError);
                    return true;
                }
                if (s.camera()) {
                    setState(RecordingStatus.State.STOPPED, Optional.of(s.cause()));
                }
            }
        }
        return false;
    }

    private void onFormatChange(StreamFormat next) {
        boolean same = format.filter(next::equals).isPresent();
        format = Optional.of(next);
        if (!same && current.isPresent()) {
            // The new format's pictures go to a new segment with its own init segment, from its first keyframe.
            flush(OptionalLong.empty());
            closeSegment();
        }
    }

    private void write(AccessUnit unit) {
        if (current.isPresent() && unit.pts90k() <= lastPts90k) {
            return; // not after the previous picture: a broken clock, which MP4 cannot hold
        }
        if (current.isPresent() && unit.pts90k() - lastPts90k > ticks(RecordingIndex.CONTIGUOUS)) {
            // The camera sent nothing for a while without the stream noticing: a gap, not a picture held for seconds.
            stop("camera offline: no pictures for " + (unit.pts90k() - lastPts90k) / 90 + " ms");
        }
        if (current.isPresent()) {
            long sinceSegmentStart = unit.pts90k() - current.get().firstPts();
            if (unit.keyframe() && sinceSegmentStart >= ticks(settings.segmentLength())) {
                flush(OptionalLong.of(unit.pts90k()));
                closeSegment();
            } else if (!pending.isEmpty() && (unit.keyframe()
                    || unit.pts90k() - pending.getFirst().pts90k() >= ticks(settings.fragmentLength()))) {
                flush(OptionalLong.of(unit.pts90k()));
            }
        }
        if (current.isEmpty()) {
            if (!unit.keyframe() || format.isEmpty() || !open(unit)) {
                return; // a segment starts on a keyframe
            }
        }
        pending.add(unit);
        lastPts90k = unit.pts90k();
    }

    private boolean open(AccessUnit first) {
        Path dayDir = streamDir.resolve(DAY.format(SegmentScanner.micros(first.captureMicros())));
        try {
            Files.createDirectories(dayDir);
        } catch (IOException e) {
            fail("cannot create directory " + dayDir + ": " + reason(e)
                    + "; check that the recording directory exists and is writable", e);
            return false;
        }
        diskSpaceCheck(dayDir);
        long millis = Math.floorDiv(first.captureMicros(), 1000);
        for (int attempt = 0; ; attempt++) {
            Path file = dayDir.resolve((millis + attempt) + ".mp4");
            try {
                SegmentFile segment = SegmentFile.create(file, format.orElseThrow(), first, writeCheck);
                current = Optional.of(segment);
                index.open(segment.segment());
                syncDirectory(dayDir);
                return true;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 1000) {
                    fail("cannot create a segment in " + dayDir + ": " + file + " and the next 1000 names exist", e);
                    return false;
                }
            } catch (IOException e) {
                fail(writeProblem(file, e), e);
                return false;
            }
        }
    }

    /** Writes the gathered pictures as one fragment. */
    private void flush(OptionalLong nextPts) {
        if (pending.isEmpty() || current.isEmpty()) {
            pending.clear();
            return;
        }
        SegmentFile segment = current.get();
        OptionalLong end = nextPts;
        if (end.isEmpty() && pending.size() == 1) {
            end = OptionalLong.of(pending.getFirst().pts90k() + (lastStep90k > 0 ? lastStep90k : 3000));
        }
        try {
            segment.write(pending, end);
            if (pending.size() >= 2) {
                lastStep90k = pending.getLast().pts90k() - pending.get(pending.size() - 2).pts90k();
            }
            index.put(segment.segment());
            recovered();
        } catch (IOException e) {
            fail(writeProblem(segment.file(), e), e);
        } finally {
            pending.clear();
        }
    }

    private void closeSegment() {
        current.ifPresent(segment -> {
            try {
                segment.close();
                ClosedSegments.append(segment.segment());
            } catch (IOException e) {
                log.warn("recording {}: closing {}: {}", index, segment.file(), e.toString());
            }
            index.closed();
        });
        current = Optional.empty();
    }

    /** The recording stops (camera gone, pictures dropped, closing): the next picture starts a new segment. */
    private void stop(String reason) {
        flush(OptionalLong.empty());
        Optional<Instant> end = current.map(s -> s.segment().end());
        closeSegment();
        end.ifPresent(at -> index.interrupted(at, reason));
    }

    /** A write failed: the segment is given up (the rebuild keeps its complete fragments); retried at a keyframe. */
    private void fail(String message, IOException e) {
        Optional<Instant> end = current.map(s -> s.segment().end());
        current.ifPresent(SegmentFile::abandon);
        current.ifPresent(this::keepOrDelete);
        current = Optional.empty();
        index.closed();
        pending.clear();
        end.ifPresent(at -> index.interrupted(at, "recording failed: " + message));
        boolean changed = setState(RecordingStatus.State.FAILED, Optional.of(message));
        if (changed) {
            log.warn("recording {}: {}", index, message, e);
        }
        if (isDiskFull(e)) {
            retention.onDiskFull();
        }
    }

    /** An abandoned segment stays indexed up to its last fragment; without one it is only an init segment. */
    private void keepOrDelete(SegmentFile abandoned) {
        Segment segment = abandoned.segment();
        if (segment.end().isAfter(segment.start())) {
            index.put(segment);
            return;
        }
        index.remove(segment);
        try {
            Files.deleteIfExists(abandoned.file());
        } catch (IOException e) {
            log.debug("recording {}: cannot delete {}: {}", index, abandoned.file(), e.toString());
        }
    }

    private void recovered() {
        synchronized (this) {
            if (state == RecordingStatus.State.FAILED || state == RecordingStatus.State.STOPPED) {
                if (state == RecordingStatus.State.FAILED) {
                    log.info("recording {}: writing again", index);
                }
                state = RecordingStatus.State.RECORDING;
                since = clock.instant();
            }
        }
    }

    /** @return whether the state or the message changed */
    private synchronized boolean setState(RecordingStatus.State next, Optional<String> error) {
        boolean changed = next != state || !error.equals(lastError);
        if (next != state) {
            since = clock.instant();
        }
        state = next;
        lastError = error;
        return changed;
    }

    private void diskSpaceCheck(Path dir) {
        try {
            if (Files.getFileStore(dir).getUsableSpace() < settings.minFreeBytes()) {
                retention.onDiskFull();
            }
        } catch (IOException e) {
            log.debug("recording {}: cannot read free space of {}: {}", index, dir, e.toString());
        }
    }

    private static void syncDirectory(Path dir) {
        // The new file's name must survive a crash too (fsync of the directory, as on Linux).
        try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Not every platform opens directories; the file's data is still forced.
        }
    }

    /** Whether {@code e} says the disk (or the user's quota) is full. */
    public static boolean isDiskFull(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left") || m.contains("Disk quota exceeded");
    }

    private static String writeProblem(Path file, IOException e) {
        if (isDiskFull(e)) {
            return "disk full writing " + file + " (No space left on device); deleting the oldest recordings";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot write " + file + ": permission denied; check that the recording directory is writable";
        }
        return "cannot write " + file + ": " + reason(e);
    }

    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.toString();
    }

    private static long ticks(Duration d) {
        return d.toNanos() * 9 / 100_000;
    }
}
