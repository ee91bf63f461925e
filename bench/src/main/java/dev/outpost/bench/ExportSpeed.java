package dev.outpost.bench;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.exports.ClipExports;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.recorder.samples.SampleVideo;
import dev.outpost.wire.api.ExportRequest;
import dev.outpost.wire.api.ExportView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Export speed (issue 7): minutes of 4MP recording exported as a 2MP clip per minute of wall clock. A recording of
 * the 4MP sample camera (2560x1440, 15 fps, 4 Mbit/s, a keyframe every 2 s) of {@code --minutes} is written with
 * the recorder's own {@code Recordings}, then exported with the recorder's {@code ClipExports} exactly as {@code
 * POST /api/exports} does (decode, scale to 1920x1080, OpenH264 at 2 Mbit/s, SHA-256, copy into the outbox): first
 * one export alone, then as many at once as there are cores (the recorder's bound). The clock runs from the request
 * to the clip waiting in the outbox.
 *
 * <pre>bench/run ExportSpeed [--minutes 2] [--rounds 2]</pre>
 */
public final class ExportSpeed {
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int minutes = (int) args.number("minutes", 2);
        int rounds = (int) args.number("rounds", 2);
        args.done();
        int cores = Runtime.getRuntime().availableProcessors();
        BenchLog.say("ExportSpeed %s: %d min of 4MP recording exported to 2MP, %d rounds, %d cores, load average %s",
                Instant.now(), minutes, rounds, cores, HostCpu.loadAverage());

        Path data = TempDirs.create("outpost-bench-exports-");
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        try {
            SampleVideo video = SampleVideo.load(SampleVideo.defaultCacheDir(), SampleSpec.hd(1));
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(minutes + 1));
            RecordingIndex index = record(data.resolve("recordings"), video, start, minutes * 60 + 5);
            Clock clock = Clock.systemUTC();
            Outbox outbox = Outbox.open(data.resolve("outbox"), new Outbox.Limits(100, 8L << 30), clock,
                    DataUsage.open(data.resolve("usage.json"), clock));
            ExportRequest request = new ExportRequest("cam", List.of(new ExportRequest.Range(start,
                    start.plus(Duration.ofMinutes(minutes)))), ExportRequest.TWO_MP);
            for (int round = 1; round <= rounds; round++) {
                for (int atOnce : cores > 1 ? List.of(1, cores) : List.of(1)) {
                    ClipExports exports = new ClipExports(data.resolve("exports"), camera -> Optional.of(index),
                            outbox, clock, blocking, new ClipExports.Settings(atOnce, atOnce));
                    double busyBefore = HostCpu.busySeconds();
                    long began = System.nanoTime();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < atOnce; i++) {
                        ids.add(exports.start(request).id());
                    }
                    List<ExportView> done = new ArrayList<>();
                    for (String id : ids) {
                        done.add(awaitMade(exports, id));
                    }
                    double wallMinutes = (System.nanoTime() - began) / 60e9;
                    double busy = HostCpu.busySeconds() - busyBefore;
                    ExportView first = done.getFirst();
                    BenchLog.say("round %d, %d at once: %.2f min of video each in %.2f min: %.2f min of video per"
                                    + " minute (%.2f in all); clip %dx%d, %.1f MB; machine busy %.0f%% of %d cores, load average %s",
                            round, atOnce, (double) minutes, wallMinutes, minutes / wallMinutes,
                            atOnce * minutes / wallMinutes, first.clip().width(), first.clip().height(),
                            first.clip().bytes() / 1e6, 100 * busy / (wallMinutes * 60 * cores), cores,
                            HostCpu.loadAverage());
                    outbox.acknowledge(outbox.poll(100, Duration.ZERO).stream().map(e -> e.key()).toList());
                }
            }
            outbox.close();
        } finally {
            blocking.shutdownNow();
            TempDirs.delete(data);
        }
    }

    /** Records {@code seconds} of the sample clip, looped, as camera "cam" from {@code start}. */
    private static RecordingIndex record(Path dir, SampleVideo video, Instant start, int seconds) {
        Recordings recordings = Recordings.open(dir, RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(3650)), Clock.systemUTC());
        RecordingSink sink = recordings.sink("cam", StreamKind.MAIN);
        sink.onFormat(video.format());
        int fps = video.spec().fps();
        long startMicros = start.getEpochSecond() * 1_000_000;
        List<AccessUnit> pictures = video.pictures();
        for (int i = 0; i < seconds * fps; i++) {
            AccessUnit picture = pictures.get(i % pictures.size());
            sink.onAccessUnit(new AccessUnit(90_000L * i / fps, startMicros + 1_000_000L * i / fps,
                    picture.keyframe(), picture.avcc()));
        }
        RecordingIndex index = recordings.index("cam", StreamKind.MAIN).orElseThrow();
        recordings.close(); // everything queued is written
        return index;
    }

    private static ExportView awaitMade(ClipExports exports, String id) throws InterruptedException {
        while (true) {
            ExportView view = exports.find(id).orElseThrow();
            if (view.state().equals(ExportView.FAILED)) {
                throw new IllegalStateException("export failed: " + view.message());
            }
            if (view.state().equals(ExportView.UPLOADING) || view.state().equals(ExportView.DONE)) {
                return view;
            }
            Thread.sleep(50);
        }
    }
}
