package dev.outpost.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.outpost.client.CloudTrust;
import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.identity.RecorderIdentity;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Memory per idle link on a cloud node. The cloud runs alone in a JVM of its own ({@link CloudNode});
 * this JVM activates {@code --links} recorders through the cloud's HTTP API (codes made with an admin
 * session, activation by the recorder's own {@code Activator}) and then holds their links up with real
 * {@code LinkConnector}s sharing one event loop group. The cloud's heap after full collections, and
 * its direct memory, are taken with all recorders activated but no link up, and again with every link
 * up and idle; the difference over the number of links is the cost of one link. A class histogram
 * diff says where it goes.
 *
 * <pre>bench/run IdleLinks [--links 5000] [--batch 250] [--settle-seconds 30] [--cloud-heap 2g] [--cloud-tls auto|jdk]</pre>
 *
 * <p>{@code --cloud-tls jdk} runs the cloud on the JDK's TLS engine instead of BoringSSL, whose per-connection state
 * lives in native memory: neither heap nor direct, so only the RSS line shows it.
 */
public final class IdleLinks {
    private static final String CHANNEL = "io.netty.channel.socket.nio.NioSocketChannel";
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int links = (int) args.number("links", 5000);
        int batch = (int) args.number("batch", 250);
        long settle = args.number("settle-seconds", 30);
        String cloudHeap = args.text("cloud-heap", "2g");
        String cloudTls = args.text("cloud-tls", "auto");
        int top = (int) args.number("top", 25);
        args.done();
        checkFileLimit(links);

        Path data = TempDirs.create("outpost-bench-links-");
        try (ChildJvm cloud = new ChildJvm(List.of("-Xmx" + cloudHeap, "-Xms" + cloudHeap, "-Doutpost.tls=" + cloudTls), CloudNode.class,
                data.resolve("cloud").toString())) {
            String[] ready = cloud.await("READY").split(" ");
            URI url = URI.create("https://127.0.0.1:" + ready[1]);
            String fingerprint = ready[2];
            BenchLog.say("IdleLinks: cloud pid %d at %s (heap -Xmx%s, TLS %s), %d links", cloud.pid(), url, cloudHeap,
                    cloudTls, links);
            Map<String, String> fresh = measure(cloud);
            BenchLog.say("  fresh cloud:                  %s", fresh);

            List<RecorderIdentity> identities;
            try (OutpostClient admin = OutpostClient.builder(url).trust(CloudTrust.pinned(fingerprint)).build()) {
                admin.login(BenchCloud.ADMIN_EMAIL, BenchCloud.ADMIN_PASSWORD);
                long t0 = System.nanoTime();
                List<String> codes = codes(admin, links);
                BenchLog.say("  %d activation codes made through the API in %.1f s", links, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                identities = LinkFleet.activate(url, links, 16, codes::get);
                BenchLog.say("  %d recorders activated in %.1f s", links, (System.nanoTime() - t0) / 1e9);
            }
            awaitNoConnections(Integer.parseInt(ready[1]));
            awaitNoChannels(cloud.pid());
            Map<String, String> baseline = measure(cloud);
            Map<String, ClassHistogram.Entry> baseHistogram = ClassHistogram.of(cloud.pid());
            BenchLog.say("  activated, no link up:        %s", baseline);

            Map<String, String> loaded;
            Map<String, ClassHistogram.Entry> loadedHistogram;
            try (LinkFleet fleet = new LinkFleet(2)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < identities.size(); i++) {
                    fleet.open(identities.get(i));
                    if ((i + 1) % batch == 0 || i + 1 == identities.size()) {
                        fleet.awaitOnline(Duration.ofMinutes(2));
                    }
                }
                BenchLog.say("  %d links up in %.1f s; settling %d s", fleet.online(), (System.nanoTime() - t0) / 1e9, settle);
                Thread.sleep(settle * 1000);
                loaded = measure(cloud);
                loadedHistogram = ClassHistogram.of(cloud.pid());
                BenchLog.say("  %d links up and idle:       %s", fleet.online(), loaded);
                if (Long.parseLong(loaded.get("links")) != links || fleet.online() != links) {
                    throw new IllegalStateException("not every link stayed up: cloud holds " + loaded.get("links")
                            + ", recorders see " + fleet.online());
                }
            }
            Thread.sleep(3000);
            Map<String, String> after = measure(cloud);
            Map<String, ClassHistogram.Entry> afterHistogram = ClassHistogram.of(cloud.pid());
            BenchLog.say("  links closed again:           %s", after);

            for (String type : List.of("io.netty.channel.socket.nio.NioSocketChannel", "io.netty.handler.ssl.SslHandler",
                    "sun.security.ssl.SSLEngineImpl", "sun.security.ssl.SSLSessionImpl")) {
                BenchLog.say("  live %s: %d activated, %d with links up, %d after they closed", type,
                        instances(baseHistogram, type), instances(loadedHistogram, type), instances(afterHistogram, type));
            }
            report(links, baseline, loaded, after, baseHistogram, loadedHistogram, top);
            BenchLog.say("");
            BenchLog.say("What stays after every link closed (closed minus baseline), per link:");
            table(links, baseHistogram, afterHistogram, Math.min(top, 12));
        } finally {
            TempDirs.delete(data);
        }
        System.exit(0);
    }

    private static void report(int links, Map<String, String> baseline, Map<String, String> loaded,
                               Map<String, String> after, Map<String, ClassHistogram.Entry> baseHistogram,
                               Map<String, ClassHistogram.Entry> loadedHistogram, int top) {
        double heap = perLink(baseline, loaded, "heap", links);
        double allocatorDirect = perLink(baseline, loaded, "allocatorDirect", links);
        double nettyDirect = Math.max(0, perLink(baseline, loaded, "nettyDirect", links));
        double nioDirect = perLink(baseline, loaded, "nioDirect", links);
        // Netty's own counter covers direct memory it allocates without a cleaner; the NIO pool covers
        // the rest (ByteBuffer.allocateDirect); the allocator's figure is a view of the same memory.
        double direct = nettyDirect + nioDirect;
        double rss = perLink(baseline, loaded, "rss", links);
        double total = heap + direct;
        BenchLog.say("");
        BenchLog.say("IdleLinks %s, %d links", Instant.now(), links);
        BenchLog.say("");
        BenchLog.say("| per idle link on the cloud | bytes |");
        BenchLog.say("|---|---|");
        BenchLog.say("| heap (used after full GC) | %.0f |", heap);
        BenchLog.say("| direct: Netty-counted + NIO pool | %.0f + %.0f |", nettyDirect, nioDirect);
        BenchLog.say("| direct held by the %s allocator (same memory, its view) | %.0f |", loaded.get("allocator"), allocatorDirect);
        BenchLog.say("| heap + direct | %.0f (%.1f KB) |", total, total / 1000);
        BenchLog.say("| process RSS growth (heap pages touched, native memory such as BoringSSL's state) | %.0f |", rss);
        BenchLog.say("| heap left after the links closed, per link | %.0f |", perLink(baseline, after, "heap", links));
        BenchLog.say("| target | <= 32 KB heap + direct: %s |", total <= 32_000 ? "met" : "NOT met");
        BenchLog.say("");
        BenchLog.say("Top classes by heap growth per link (jcmd GC.class_histogram, loaded minus baseline):");
        table(links, baseHistogram, loadedHistogram, top);
    }

    private static void table(int links, Map<String, ClassHistogram.Entry> baseHistogram,
                              Map<String, ClassHistogram.Entry> loadedHistogram, int top) {
        BenchLog.say("");
        BenchLog.say("| class | bytes per link | instances per link |");
        BenchLog.say("|---|---|---|");
        List<Map.Entry<String, long[]>> diff = new ArrayList<>();
        for (var e : loadedHistogram.entrySet()) {
            ClassHistogram.Entry before = baseHistogram.getOrDefault(e.getKey(), new ClassHistogram.Entry(0, 0));
            diff.add(Map.entry(e.getKey(), new long[] {e.getValue().bytes() - before.bytes(),
                    e.getValue().instances() - before.instances()}));
        }
        diff.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        long shown = 0;
        long all = diff.stream().mapToLong(e -> e.getValue()[0]).sum();
        for (int i = 0; i < Math.min(top, diff.size()); i++) {
            var e = diff.get(i);
            shown += e.getValue()[0];
            BenchLog.say("| `%s` | %.0f | %.2f |", e.getKey(), e.getValue()[0] / (double) links,
                    e.getValue()[1] / (double) links);
        }
        BenchLog.say("| (these %d classes) | %.0f | |", top, shown / (double) links);
        for (String prefix : List.of("io.netty.", "sun.security.", "javax.crypto.", "com.sun.crypto.", "org.h2.", "dev.outpost.")) {
            long part = diff.stream().filter(e -> e.getKey().replace("[L", "").startsWith(prefix))
                    .mapToLong(e -> e.getValue()[0]).sum();
            BenchLog.say("| (classes in %s*) | %.0f | |", prefix, part / (double) links);
        }
        BenchLog.say("| (all classes) | %.0f | |", all / (double) links);
    }

    /**
     * The activations' HTTPS connections must be gone before the baseline, or their TLS state would be
     * counted in it and make links look cheaper than they are.
     */
    private static void awaitNoConnections(int port) throws Exception {
        Process ss = new ProcessBuilder("sh", "-c", "ss -tanH '( sport = :" + port + " )' | awk '{print $1}' | sort | uniq -c")
                .redirectErrorStream(true).start();
        BenchLog.say("  the cloud's sockets by state after activation: %s",
                new String(ss.getInputStream().readAllBytes()).trim().replaceAll("\\s+", " "));
        long start = System.nanoTime();
        long deadline = start + 180_000_000_000L;
        int first = TcpSegments.serverSideOpen(port);
        int open = first;
        while (open > 0 || TcpSegments.toPort(port).connections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(open + " connections to the cloud still open 180 s after activation");
            }
            Thread.sleep(500);
            open = TcpSegments.serverSideOpen(port);
        }
        BenchLog.say("  the cloud held %d activation connections open after activation; all closed %.1f s later",
                first, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The cloud keeps closed connections' channels (and their TLS engines) reachable for a while after
     * they closed; the baseline waits until they are gone, so they are not counted against the links.
     */
    private static void awaitNoChannels(long pid) throws Exception {
        long start = System.nanoTime();
        long first = instances(ClassHistogram.of(pid), CHANNEL);
        long left = first;
        while (left > 0 && System.nanoTime() - start < 300_000_000_000L) {
            Thread.sleep(5000);
            left = instances(ClassHistogram.of(pid), CHANNEL);
        }
        BenchLog.say("  the cloud still held %d closed channels after a full GC; %d after %.0f s", first, left,
                (System.nanoTime() - start) / 1e9);
    }

    private static long instances(Map<String, ClassHistogram.Entry> histogram, String type) {
        ClassHistogram.Entry e = histogram.get(type);
        return e == null ? 0 : e.instances();
    }

    private static double perLink(Map<String, String> before, Map<String, String> after, String key, int links) {
        return (Long.parseLong(after.get(key)) - Long.parseLong(before.get(key))) / (double) links;
    }

    private static Map<String, String> measure(ChildJvm cloud) throws Exception {
        cloud.send("measure");
        Map<String, String> values = new HashMap<>();
        for (String pair : cloud.await("MEASURE").substring("MEASURE ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new java.util.TreeMap<>(values);
    }

    /** Activation codes made through {@code POST /api/activation-codes}, 8 requests at a time. */
    private static List<String> codes(OutpostClient admin, int count) throws Exception {
        Semaphore permits = new Semaphore(8);
        List<Future<String>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String name = "idle-" + i;
                pending.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return admin.createActivationCode(name).code();
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<String> codes = new ArrayList<>(count);
            for (Future<String> f : pending) {
                codes.add(f.get());
            }
            return codes;
        }
    }

    /** Each link is a socket here and one in the cloud's JVM: say how to raise the limit before failing. */
    private static void checkFileLimit(int links) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            if (max < links + 1024L) {
                throw new IllegalStateException("open file limit " + max + " is too low for " + links
                        + " links: run `ulimit -n " + (links + 2048) + "` first (as root, or raise the hard limit)");
            }
        }
    }
}
