package dev.outpost.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.Sample;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.wire.api.CameraView;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a recorder costs per camera: for each camera count N, a recorder in a JVM of its own ({@link RecorderNode})
 * plays N sample cameras (an HD stream, 2560x1440 at about 4 Mbit/s, and an SD stream, 704x576 at about 800 kbit/s,
 * both 15 fps with a keyframe every 30 pictures), records both streams of each to disk (its {@code Recordings}) and
 * streams one of them to one live viewer per camera ({@code GET /api/cameras/{id}/live.mp4} on its local port, read
 * and checked by {@link LiveClient}). After a warm-up it measures the recorder process alone: CPU time from /proc
 * over wall time (cores used), in slices to show the spread; heap after a full GC, heap committed and RSS at the end.
 * It checks the work was done: pictures and bytes each viewer got against the cameras' rate, how late fragments
 * arrived against their capture time ({@code prft}), and bytes written to disk against the cameras' bit rates.
 *
 * <pre>bench/run CameraScale [--cameras 0,1,16,32,64] [--seconds 60] [--slice-seconds 10] [--warmup-seconds 20]
 *                        [--clips 4] [--live hd|sd|none] [--recorder-java-opts "-Xmx1g ..."]</pre>
 */
public final class CameraScale {
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int[] counts = Arrays.stream(args.text("cameras", "0,1,16,32,64").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
        int seconds = (int) args.number("seconds", 60);
        int sliceSeconds = (int) args.number("slice-seconds", 10);
        int warmupSeconds = (int) args.number("warmup-seconds", 20);
        int clips = (int) args.number("clips", 4);
        String live = args.text("live", "hd");
        String javaOpts = args.text("recorder-java-opts", "");
        args.done();
        if (!live.equals("hd") && !live.equals("sd") && !live.equals("none")) {
            throw new IllegalArgumentException("--live is hd, sd or none, not " + live);
        }
        if (seconds % sliceSeconds != 0) {
            throw new IllegalArgumentException("--seconds must be a whole number of --slice-seconds");
        }
        List<String> jvmOptions = javaOpts.isBlank() ? List.of() : List.of(javaOpts.strip().split("\\s+"));

        BenchLog.say("CameraScale %s: cameras %s, %d s measured in %d s slices after %d s of warm-up, %d distinct "
                        + "clips, one live %s viewer per camera, recorder JVM options %s; %d cores",
                Instant.now(), Arrays.toString(counts), seconds, sliceSeconds, warmupSeconds, clips, live,
                jvmOptions.isEmpty() ? "(defaults)" : jvmOptions, Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        Path data = TempDirs.create("outpost-bench-cameras-");
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"))) {
            for (int n : counts) {
                Path recorderData = data.resolve("recorder-" + n);
                Result r = measure(cloud, recorderData, n, Math.clamp(clips, Math.min(1, n), Math.max(n, 0)), live,
                        jvmOptions, seconds, sliceSeconds, warmupSeconds, clientLoop);
                TempDirs.delete(recorderData);
                results.add(r);
                BenchLog.say("  %s", r.summary());
            }
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            TempDirs.delete(data);
        }
        print(results, seconds, live);
        System.exit(0);
    }

    /** One camera count's figures. */
    record Result(int cameras, double[] sliceCores, double cores, long heapAfterGc, long heapCommitted, long direct,
                  long rss, long peakRss, double gcMillisPerSecond, long pictures, long expectedPictures,
                  double liveMegabitsPerSecond, double[] latencyMillis, long liveFailures,
                  double diskMegabytesPerSecond,
                  double expectedDiskMegabytesPerSecond, long recordingNotRecording, double benchCores,
                  double machineCores, String loadBefore, String loadAfter, long clipBytes) {
        String summary() {
            return String.format("%d cameras: recorder %.3f cores (slices %.3f-%.3f), heap %s after GC, RSS %s; live "
                            + "%d/%d pictures, latency p50 %.0f p99 %.0f max %.0f ms; disk %.2f of %.2f MB/s; "
                            + "load %s-%s",
                    cameras, cores, min(sliceCores), max(sliceCores), mb(heapAfterGc), mb(rss), pictures,
                    expectedPictures, latencyMillis[0], latencyMillis[1], latencyMillis[2], diskMegabytesPerSecond,
                    expectedDiskMegabytesPerSecond, loadBefore, loadAfter);
        }
    }

    private static Result measure(BenchCloud cloud, Path dataDir, int cameras, int clips, String live,
                                  List<String> jvmOptions, int seconds, int sliceSeconds, int warmupSeconds,
                                  EventLoopGroup clientLoop) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        List<LiveClient> clients = new ArrayList<>();
        try (RecorderUnderTest recorder = RecorderUnderTest.start(cloud, dataDir, cameras, clips, jvmOptions,
                Duration.ofMinutes(10))) {
            List<CameraView> views = recorder.cameras();
            if (!live.equals("none")) {
                String grant = recorder.grant();
                for (CameraView camera : views) {
                    Viewer viewer = new Viewer();
                    viewers.add(viewer);
                    clients.add(LiveClient.open(clientLoop, "127.0.0.1", recorder.port(),
                            "/api/cameras/" + camera.id() + "/live.mp4?stream=" + live, grant, viewer));
                }
            }
            Thread.sleep(warmupSeconds * 1000L);
            double fps = views.stream().flatMap(v -> v.streams().stream()).filter(s -> s.stream().equals(live))
                    .mapToDouble(CameraView.Stream::framesPerSecond).sum();
            double expectedDisk = views.stream().flatMap(v -> v.streams().stream())
                    .mapToLong(CameraView.Stream::bitsPerSecond).sum() / 8e6;
            Path recordings = dataDir.resolve("recordings");
            // The distinct clips the cameras share are in the recorder's heap once each (cameras 1 to clips play them).
            long clipBytes = views.stream().limit(clips).flatMap(v -> v.streams().stream())
                    .mapToLong(s -> s.bitsPerSecond() * SampleSpec.SECONDS / 8).sum();

            String loadBefore = HostCpu.loadAverage();
            long disk0 = bytesUnder(recordings);
            long[] gc0 = recorder.collections();
            long pictures0 = Viewer.pictures(viewers);
            long bytes0 = Viewer.bytes(viewers);
            viewers.forEach(Viewer::startWindow);
            double host0 = HostCpu.busySeconds();
            double bench0 = benchCpuSeconds();
            long start = System.nanoTime();
            double[] slices = new double[seconds / sliceSeconds];
            double cpu = recorder.process().cpuSeconds();
            double cpu0 = cpu;
            long sliceStart = start;
            for (int i = 0; i < slices.length; i++) {
                Thread.sleep(sliceSeconds * 1000L);
                double now = recorder.process().cpuSeconds();
                long t = System.nanoTime();
                slices[i] = (now - cpu) / ((t - sliceStart) / 1e9);
                cpu = now;
                sliceStart = t;
            }
            double wall = (sliceStart - start) / 1e9;
            double cores = (cpu - cpu0) / wall;
            double benchCores = (benchCpuSeconds() - bench0) / wall;
            double machineCores = (HostCpu.busySeconds() - host0) / wall;
            long pictures = Viewer.pictures(viewers) - pictures0;
            double liveMbps = (Viewer.bytes(viewers) - bytes0) * 8 / 1e6 / wall;
            double[] latency = Viewer.latencyPercentiles(viewers);
            long disk = bytesUnder(recordings) - disk0;
            long[] gc1 = recorder.collections();
            String loadAfter = HostCpu.loadAverage();
            long failures = viewers.stream().filter(Viewer::failed).count();
            long notRecording = recorder.cameras().stream().flatMap(v -> v.streams().stream())
                    .filter(s -> !s.recording().equals("RECORDING")).count();
            long[] memory = recorder.memory();
            long rss = recorder.process().statusBytes("VmRSS");
            long peakRss = recorder.process().statusBytes("VmHWM");
            viewers.forEach(Viewer::closing);
            clients.forEach(LiveClient::close);
            return new Result(cameras, slices, cores, memory[0], memory[1], memory[2], rss, peakRss,
                    (gc1[1] - gc0[1]) / wall, pictures, Math.round(fps * wall), liveMbps, latency, failures,
                    disk / 1e6 / wall, expectedDisk, notRecording, benchCores, machineCores, loadBefore, loadAfter,
                    clipBytes);
        }
    }

    private static void print(List<Result> results, int seconds, String live) {
        Result idle = results.stream().filter(r -> r.cameras() == 0).findFirst().orElse(null);
        BenchLog.say("");
        BenchLog.say("| cameras | recorder cores (median of slices; min-max) | per camera | heap after GC | heap "
                + "committed | direct | RSS (peak) | sample clips in heap | heap without clips, RSS per camera over "
                + "idle | GC ms/s | load avg before-after | machine cores busy (bench JVM) |");
        BenchLog.say("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            String perCamera = r.cameras() == 0 ? "" : String.format("%.4f", r.cores() / r.cameras());
            String overIdle = idle == null || r.cameras() == 0 ? "" : String.format("%s, %s",
                    kb((r.heapAfterGc() - r.clipBytes() - idle.heapAfterGc()) / r.cameras()),
                    kb((r.rss() - idle.rss()) / r.cameras()));
            BenchLog.say("| %d | %.3f (%.3f; %.3f-%.3f) | %s | %s | %s | %s | %s (%s) | %s | %s | %.1f | %s-%s "
                            + "| %.2f (%.2f) |",
                    r.cameras(), r.cores(), median(r.sliceCores()), min(r.sliceCores()), max(r.sliceCores()), perCamera,
                    mb(r.heapAfterGc()), mb(r.heapCommitted()), mb(r.direct()), mb(r.rss()), mb(r.peakRss()),
                    mb(r.clipBytes()), overIdle,
                    r.gcMillisPerSecond(), r.loadBefore(), r.loadAfter(), r.machineCores(), r.benchCores());
        }
        BenchLog.say("");
        BenchLog.say("| cameras | live %s pictures got / expected | live Mbit/s | fragment latency p50 / p99 / max ms "
                + "| viewers failed | recorded MB/s (cameras' rate) | streams not RECORDING |", live);
        BenchLog.say("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            BenchLog.say("| %d | %d / %d | %.1f | %.0f / %.0f / %.0f | %d | %.2f (%.2f) | %d |", r.cameras(),
                    r.pictures(), r.expectedPictures(), r.liveMegabitsPerSecond(), r.latencyMillis()[0],
                    r.latencyMillis()[1], r.latencyMillis()[2], r.liveFailures(), r.diskMegabytesPerSecond(),
                    r.expectedDiskMegabytesPerSecond(), r.recordingNotRecording());
        }
        BenchLog.say("");
        results.stream().filter(r -> r.cameras() == 64).findFirst().ifPresent(r -> BenchLog.say(
                "CameraScale: 64 cameras use %.3f cores over %d s (target < 1 core: %s)", r.cores(), seconds,
                r.cores() < 1 ? "met" : "NOT met"));
    }

    /** One live viewer's counts, kept on the client's event loop and read from the main thread. */
    static final class Viewer implements LiveClient.Listener {
        private long pictures;
        private long bytes;
        private boolean failed;
        private boolean windowOpen;
        private boolean closing;
        private final List<Long> latencyMicros = new ArrayList<>();

        @Override
        public synchronized void fragment(long nanos, Fragment fragment, int size) {
            pictures += fragment.samples().size();
            bytes += fragment.samples().stream().mapToLong(Sample::size).sum();
            if (windowOpen && fragment.producerReferenceTime().isPresent()) {
                Instant now = Instant.now();
                long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
                latencyMicros.add(nowMicros - fragment.producerReferenceTime().get().wallClockMicros());
            }
        }

        @Override
        public synchronized void failed(Throwable cause) {
            if (!failed && !closing) {
                failed = true;
                BenchLog.say("  a live viewer failed: %s", cause);
            }
        }

        synchronized void startWindow() {
            windowOpen = true;
        }

        /** The benchmark closes the connection: that is no failure. */
        synchronized void closing() {
            closing = true;
        }

        synchronized boolean failed() {
            return failed;
        }

        static long pictures(List<Viewer> viewers) {
            long sum = 0;
            for (Viewer v : viewers) {
                synchronized (v) {
                    sum += v.pictures;
                }
            }
            return sum;
        }

        static long bytes(List<Viewer> viewers) {
            long sum = 0;
            for (Viewer v : viewers) {
                synchronized (v) {
                    sum += v.bytes;
                }
            }
            return sum;
        }

        /** p50, p99 and max, in ms, of every fragment's arrival after its first picture's capture, over all viewers. */
        static double[] latencyPercentiles(List<Viewer> viewers) {
            List<Long> all = new ArrayList<>();
            for (Viewer v : viewers) {
                synchronized (v) {
                    all.addAll(v.latencyMicros);
                }
            }
            if (all.isEmpty()) {
                return new double[] {0, 0, 0};
            }
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            return new double[] {percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0,
                    sorted[sorted.length - 1] / 1000.0};
        }
    }

    /** CPU time of this JVM: the viewers and the cloud. */
    private static double benchCpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static long bytesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".mp4")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        }
    }

    static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static String kb(long bytes) {
        return String.format("%.0f KB", bytes / 1e3);
    }
}
