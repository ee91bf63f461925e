package dev.outpost.bench;

import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.InitSegment;
import dev.outpost.media.mp4.Sample;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * How soon a live view starts: the time from sending {@code GET /api/cameras/{id}/live.mp4} (HTTP/1.1 on loopback,
 * to a recorder's local port, with a grant from the cloud; the connection is made before the clock starts) to the
 * first decodable frame, the moment the client holds the init segment and the whole first fragment, which opens on a
 * keyframe ({@link LiveClient} reads the boxes as they arrive). Beside it, the time to the response's first byte.
 *
 * <p>The recorder runs in a JVM of its own ({@link RecorderNode}) with {@code --cameras} sample cameras (4, as the
 * demo), recording as always. Requests go one at a time, HD and SD in turn, round the cameras, each after a random
 * pause of up to {@code --max-pause-ms} so that they land anywhere in the cameras' 2 s GOPs (how much of the GOP the
 * recorder sends first depends on where). {@code --warmup-requests} of each stream go first, unmeasured.
 *
 * <pre>bench/run LiveStart [--requests 200] [--warmup-requests 50] [--cameras 4] [--max-pause-ms 200] [--seed 1]</pre>
 */
public final class LiveStart {
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int requests = (int) args.number("requests", 200);
        int warmups = (int) args.number("warmup-requests", 50);
        int cameras = (int) args.number("cameras", 4);
        int maxPauseMillis = (int) args.number("max-pause-ms", 200);
        long seed = args.number("seed", 1);
        String javaOpts = args.text("recorder-java-opts", "");
        args.done();
        List<String> jvmOptions = javaOpts.isBlank() ? List.of() : List.of(javaOpts.strip().split("\\s+"));

        BenchLog.say("LiveStart %s: %d measured requests per stream after %d warm-up ones, %d sample cameras, "
                        + "pauses of 0-%d ms, load average %s, %d cores", Instant.now(), requests, warmups, cameras,
                maxPauseMillis, HostCpu.loadAverage(), Runtime.getRuntime().availableProcessors());
        Path data = TempDirs.create("outpost-bench-livestart-");
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Random random = new Random(seed);
        List<Start> hd = new ArrayList<>();
        List<Start> sd = new ArrayList<>();
        String loadBefore = HostCpu.loadAverage();
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"));
             RecorderUnderTest recorder = RecorderUnderTest.start(cloud, data.resolve("recorder"), cameras,
                     Math.min(cameras, 4), jvmOptions, Duration.ofMinutes(5))) {
            Thread.sleep(3000); // every GOP cache holds a GOP
            String grant = recorder.grant();
            long grantAt = System.nanoTime();
            int total = 2 * (warmups + requests);
            for (int i = 0; i < total; i++) {
                if (System.nanoTime() - grantAt > 60_000_000_000L) { // grants last 5 minutes
                    grant = recorder.grant();
                    grantAt = System.nanoTime();
                }
                String stream = i % 2 == 0 ? "hd" : "sd";
                String camera = "sample-" + (i / 2 % cameras + 1);
                Thread.sleep(random.nextInt(maxPauseMillis + 1));
                Start start = request(clientLoop, recorder.port(), camera, stream, grant);
                if (i >= 2 * warmups) {
                    (stream.equals("hd") ? hd : sd).add(start);
                }
            }
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            TempDirs.delete(data);
        }
        String loadAfter = HostCpu.loadAverage();
        BenchLog.say("");
        BenchLog.say("| stream | requests | first byte p50 / p95 / p99 ms | first decodable frame p50 / p95 / p99 / "
                + "max ms | first fragment KB p50 (min-max) | pictures in the first fragment p50 (min-max) |");
        BenchLog.say("|---|---|---|---|---|---|");
        row("HD", hd);
        row("SD", sd);
        BenchLog.say("");
        double worst = Math.max(median(hd, Start::decodableMillis), median(sd, Start::decodableMillis));
        BenchLog.say("LiveStart: load average %s before, %s after; median to the first decodable frame %.1f ms at "
                + "worst (target < 100 ms: %s)", loadBefore, loadAfter, worst, worst < 100 ? "met" : "NOT met");
        System.exit(0);
    }

    /** One request's times from sending it, and what came before the first picture could be decoded. */
    record Start(double firstByteMillis, double decodableMillis, long firstFragmentBytes, int firstFragmentPictures) {
    }

    private static Start request(EventLoopGroup loop, int port, String camera, String stream, String grant)
            throws Exception {
        CompletableFuture<Start> done = new CompletableFuture<>();
        LiveClient.Listener listener = new LiveClient.Listener() {
            private long sent;
            private long firstByte;

            @Override
            public void sent(long nanos) {
                sent = nanos;
            }

            @Override
            public void firstByte(long nanos) {
                firstByte = nanos;
            }

            @Override
            public void decodable(long nanos, InitSegment init, Fragment first) {
                long pictureBytes = first.samples().stream().mapToLong(Sample::size).sum();
                done.complete(new Start((firstByte - sent) / 1e6, (nanos - sent) / 1e6, pictureBytes,
                        first.samples().size()));
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        };
        LiveClient client = LiveClient.open(loop, "127.0.0.1", port,
                "/api/cameras/" + camera + "/live.mp4?stream=" + stream, grant, listener);
        try {
            return done.get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    private static void row(String stream, List<Start> starts) {
        double[] firstByte = starts.stream().mapToDouble(Start::firstByteMillis).sorted().toArray();
        double[] decodable = starts.stream().mapToDouble(Start::decodableMillis).sorted().toArray();
        long[] bytes = starts.stream().mapToLong(Start::firstFragmentBytes).sorted().toArray();
        int[] pictures = starts.stream().mapToInt(Start::firstFragmentPictures).sorted().toArray();
        BenchLog.say("| %s | %d | %.2f / %.2f / %.2f | %.1f / %.1f / %.1f / %.1f | %d KB (%d-%d) | %d (%d-%d) |",
                stream, starts.size(), pct(firstByte, 50), pct(firstByte, 95), pct(firstByte, 99),
                pct(decodable, 50), pct(decodable, 95), pct(decodable, 99), decodable[decodable.length - 1],
                bytes[bytes.length / 2] / 1000, bytes[0] / 1000, bytes[bytes.length - 1] / 1000,
                pictures[pictures.length / 2], pictures[0], pictures[pictures.length - 1]);
    }

    private static double median(List<Start> starts, ToDoubleFunction<Start> f) {
        return pct(starts.stream().mapToDouble(f).sorted().toArray(), 50);
    }

    /** The nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)];
    }
}
