package dev.outpost.bench;

import dev.outpost.cloud.CloudServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cloud node alone in its JVM, so its memory can be measured without anything else's. Prints
 * {@code READY port fingerprint}, then answers each {@code measure} line on its standard input with one
 * {@code MEASURE key=value...} line taken after full collections; ends when its input closes.
 *
 * <pre>CloudNode DATA_DIR</pre>
 */
public final class CloudNode {
    public static void main(String[] args) throws Exception {
        BenchLog.quiet();
        CloudServer cloud = CloudServer.start(BenchCloud.config(Path.of(args[0]), 0));
        System.out.println("READY " + cloud.port() + " " + cloud.certificateFingerprint());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("measure")) {
                System.out.println("MEASURE " + measure(cloud));
                System.out.flush();
            }
        }
        cloud.close();
        System.exit(0);
    }

    private static String measure(CloudServer cloud) throws InterruptedException, IOException {
        for (int i = 0; i < 3; i++) {
            System.gc(); // G1: a full collection, so what remains is what is reachable
            Thread.sleep(300);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long nioDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long allocatorDirect = -1;
        long allocatorHeap = -1;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            allocatorDirect = provider.metric().usedDirectMemory();
            allocatorHeap = provider.metric().usedHeapMemory();
        }
        return "links=" + cloud.links().size()
                + " heap=" + heap
                + " nettyDirect=" + PlatformDependent.usedDirectMemory()
                + " nioDirect=" + nioDirect
                + " allocator=" + ByteBufAllocator.DEFAULT.getClass().getSimpleName()
                + " allocatorDirect=" + allocatorDirect
                + " allocatorHeap=" + allocatorHeap
                + " pooledDirect=" + PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                + " threads=" + Thread.activeCount()
                + " rss=" + rss();
    }

    private static long rss() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
