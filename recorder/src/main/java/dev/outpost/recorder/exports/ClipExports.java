package dev.outpost.recorder.exports;

import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.outbox.OutboxFullException;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.Segment;
import dev.outpost.wire.api.ExportRequest;
import dev.outpost.wire.api.ExportView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clip exports on the recorder (docs/api.md, "Clip export"): checks a request, queues it, makes the clip on a virtual
 * thread ({@link ClipMaker}, at most {@link Settings#concurrent} at once: each takes about one core), writes it under
 * a temporary name and renames it whole, then puts it into the outbox, from which the cloud takes it in parts. Each
 * export's progress is kept in memory (the last {@link #KEPT} exports): a clip in the outbox survives a restart, its
 * progress does not (the cloud's clip library is where a clip is found later). Thread-safe.
 */
public final class ClipExports {
    private static final Logger LOG = LoggerFactory.getLogger(ClipExports.class);
    /** Exports remembered, finished or not. */
    static final int KEPT = 100;
    static final String MEDIA_TYPE = "video/mp4";

    /**
     * @param concurrent exports made at once (one per core at most: each keeps a core busy)
     * @param queued     exports waiting beyond those; more are refused with 429
     */
    public record Settings(int concurrent, int queued) {
        public static Settings defaults() {
            return new Settings(Math.max(1, Runtime.getRuntime().availableProcessors()), 4);
        }
    }

    /** One export and where it stands. */
    private static final class Job {
        final String id;
        final ExportRequest request;
        final Instant createdAt;
        volatile String state = ExportView.QUEUED;
        volatile int percent;
        volatile String message = "";
        volatile ClipFacts clip;
        volatile String itemKey = "";

        Job(String id, ExportRequest request, Instant createdAt) {
            this.id = id;
            this.request = request;
            this.createdAt = createdAt;
        }

        boolean active() {
            return state.equals(ExportView.QUEUED) || state.equals(ExportView.ENCODING);
        }
    }

    private final Path dir;
    private final Function<String, Optional<RecordingIndex>> recordings;
    private final Outbox outbox;
    private final Clock clock;
    private final Executor blocking;
    private final Settings settings;
    private final Semaphore encoders;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();

    /**
     * @param dir        where clips are made ({@code DATA/exports}); what a crash left there is deleted
     * @param recordings the main-stream recording of a camera
     */
    public ClipExports(Path dir, Function<String, Optional<RecordingIndex>> recordings, Outbox outbox, Clock clock,
                       Executor blocking, Settings settings) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.recordings = recordings;
        this.outbox = outbox;
        this.clock = clock;
        this.blocking = blocking;
        this.settings = settings;
        this.encoders = new Semaphore(settings.concurrent());
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            for (Path file : left) {
                LOG.info("deleting {}: an export a restart cut short (ask for it again)", file.getFileName());
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Queues an export.
     *
     * @throws ExportRefused for a bad request, an unknown or unrecorded camera or range, too many exports at once, or
     *                       a clip the outbox could never hold
     */
    public ExportView start(ExportRequest request) throws ExportRefused {
        Optional<String> problem = request.problem();
        if (problem.isPresent()) {
            throw new ExportRefused(ExportRefused.Reason.BAD_EXPORT, problem.get());
        }
        RecordingIndex index = recordings.apply(request.cameraId()).orElseThrow(() -> new ExportRefused(
                ExportRefused.Reason.NO_SUCH_CAMERA, "this recorder has no recording of camera " + request.cameraId()));
        List<Segment> segments = index.segments();
        for (int i = 0; i < request.ranges().size(); i++) {
            ExportRequest.Range range = request.ranges().get(i);
            boolean recorded = segments.stream().anyMatch(s -> s.end().isAfter(range.start())
                    && s.start().isBefore(range.end()));
            if (!recorded) {
                throw new ExportRefused(ExportRefused.Reason.NOT_RECORDED, "ranges[" + i + "]: nothing of camera "
                        + request.cameraId() + " is recorded from " + range.start() + " to " + range.end()
                        + "; ask GET /api/cameras/" + request.cameraId() + "/recordings for what is");
            }
        }
        ClipQuality quality = ClipQuality.of(request.quality());
        long estimate = quality.bitRate(quality.maxPixels()) / 8 * request.total().toSeconds();
        if (estimate > outbox.limits().maxBytes()) {
            throw new ExportRefused(ExportRefused.Reason.OUTBOX_FULL, "a clip of " + request.total().toSeconds() + " s at "
                    + quality.label() + " is about " + estimate / (1024 * 1024) + " MiB, more than the outbox holds ("
                    + outbox.limits().maxBytes() / (1024 * 1024) + " MiB): export a shorter clip, or 2mp");
        }
        Job job;
        synchronized (jobs) {
            long active = jobs.values().stream().filter(Job::active).count();
            if (active >= settings.concurrent() + settings.queued()) {
                throw new ExportRefused(ExportRefused.Reason.TOO_MANY_EXPORTS, active + " exports are being made or wait;"
                        + " try again when one is done");
            }
            byte[] id = new byte[8];
            random.nextBytes(id);
            job = new Job(HexFormat.of().formatHex(id), request, clock.instant());
            jobs.put(job.id, job);
            while (jobs.size() > KEPT) {
                Optional<String> oldest = jobs.values().stream().filter(j -> !j.active()).map(j -> j.id).findFirst();
                if (oldest.isEmpty()) {
                    break;
                }
                jobs.remove(oldest.get());
            }
        }
        blocking.execute(() -> run(job, index));
        return view(job);
    }

    /** An export, as it stands now. */
    public Optional<ExportView> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id)).map(this::view);
        }
    }

    /** The exports remembered, newest first. */
    public List<ExportView> list() {
        synchronized (jobs) {
            List<ExportView> views = new ArrayList<>(jobs.values().stream().map(this::view).toList());
            return views.reversed();
        }
    }

    /** The cloud took part {@code part} (from 0) of outbox item {@code key}: upload progress. */
    public void partTaken(String key, int part) {
        synchronized (jobs) {
            for (Job job : jobs.values()) {
                if (job.itemKey.equals(key) && job.clip != null) {
                    int parts = ClipFacts.parts(job.clip.bytes());
                    job.percent = Math.max(job.percent, Math.min(99, (part + 1) * 100 / parts));
                }
            }
        }
    }

    private ExportView view(Job job) {
        if (job.state.equals(ExportView.UPLOADING) && !outbox.contains(job.itemKey)) {
            job.state = ExportView.DONE; // the cloud acknowledged it: stored
            job.percent = 100;
        }
        return new ExportView(job.id, job.request.cameraId(), job.request.ranges(), job.request.quality(), job.state,
                job.percent, job.message, job.createdAt, job.clip);
    }

    /** On a virtual thread: waits for an encoder, makes the clip, hands it to the outbox. */
    private void run(Job job, RecordingIndex index) {
        Path tmp = dir.resolve(job.id + ".mp4.tmp");
        Path clip = dir.resolve(job.id + ".mp4");
        try {
            encoders.acquire();
            try {
                job.state = ExportView.ENCODING;
                long total = Math.max(1, job.request.total().toNanos() / 1000);
                ClipMaker.Made made = new ClipMaker(index, job.request, tmp,
                        micros -> job.percent = (int) Math.min(99, micros * 100 / total)).make();
                Files.move(tmp, clip, StandardCopyOption.ATOMIC_MOVE);
                long bytes = Files.size(clip);
                ClipFacts facts = new ClipFacts(job.id, job.request.cameraId(), made.firstCapture(),
                        made.lastCapture(), made.durationMicros() / 1000, made.width(), made.height(), bytes,
                        sha256(clip));
                job.clip = facts;
                String key = outbox.addFile(OutboxKind.CLIP_PART, new String(Json.write(facts),
                        StandardCharsets.UTF_8), clip, MEDIA_TYPE);
                job.itemKey = key;
                job.percent = 0;
                job.state = ExportView.UPLOADING;
                LOG.info("export {}: {} of camera {} ({}x{}, {} s, {} bytes) waits in the outbox as {}", job.id,
                        job.request.total(), job.request.cameraId(), made.width(), made.height(),
                        made.durationMicros() / 1_000_000, bytes, key);
            } finally {
                encoders.release();
            }
        } catch (OutboxFullException e) {
            fail(job, "outbox-full: " + e.getMessage());
        } catch (ClipException | IOException e) {
            fail(job, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(job, "the recorder stopped");
        } catch (RuntimeException e) {
            LOG.warn("export {} failed", job.id, e);
            fail(job, "the recorder failed to make the clip: " + e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(clip); // in the outbox now, or failed
        }
    }

    private static void fail(Job job, String message) {
        LOG.warn("export {} of camera {} failed: {}", job.id, job.request.cameraId(), message);
        job.message = message;
        job.state = ExportView.FAILED;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
