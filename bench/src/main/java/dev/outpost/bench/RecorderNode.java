package dev.outpost.bench;

import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.samples.SampleVideo;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A real recorder in a JVM of its own, for benchmarks that keep it apart from the cloud or measure it alone: activates
 * with the given code, prints {@code READY recorderId localPort}, and runs until its standard input closes (so it
 * never outlives the benchmark that started it). With {@code --samples N} it plays N sample cameras (the recorder's
 * own {@link RecorderConfig#withSampleCameras}: recorded and served live like any camera), sharing
 * {@code --sample-clips K} distinct clips (default: up to 4), cached in {@code --sample-cache DIR} (default
 * {@code ~/.cache/outpost/samples}).
 *
 * <p>Lines on its standard input ask it about itself; each answer is one line:
 * <ul>
 * <li>{@code MEMORY}: {@code MEMORY heapUsedAfterGc heapCommitted direct}, in bytes (direct: Netty's counted direct
 *     memory and the NIO direct pool), after two full
 *     collections ({@code System.gc()}, full with G1);
 * <li>{@code GC}: {@code GC collections millis}, over every collector since the start.
 * </ul>
 *
 * <pre>RecorderNode DATA_DIR CLOUD_URL ACTIVATION_CODE [--samples N] [--sample-clips K] [--sample-cache DIR]</pre>
 */
public final class RecorderNode {
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(Arrays.copyOfRange(argv, 3, argv.length));
        int samples = (int) args.number("samples", 0);
        int clips = (int) args.number("sample-clips", Math.min(samples, 4));
        Path cache = Path.of(args.text("sample-cache", SampleVideo.defaultCacheDir().toString()));
        args.done();
        RecorderConfig config = RecorderConfig.defaults(Path.of(argv[0]))
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withActivation(URI.create(argv[1]), argv[2]);
        if (samples > 0) {
            config = config.withSampleCameras(samples, clips, cache);
        }
        try (Recorder recorder = Recorder.start(config)) {
            System.out.println("READY " + recorder.identity().recorderId() + " " + recorder.localPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) { // until the parent goes away
                switch (line.strip()) {
                    case "MEMORY" -> System.out.println("MEMORY " + memory());
                    case "GC" -> System.out.println("GC " + collections());
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
        System.exit(0);
    }

    private static String memory() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long nioDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return heap.getUsed() + " " + heap.getCommitted() + " " + (Math.max(0, PlatformDependent.usedDirectMemory())
                + nioDirect);
    }

    private static String collections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return count + " " + millis;
    }
}
