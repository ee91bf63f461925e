package dev.outpost.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.outpost.client.CloudTrust;
import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.tls.CloudCertificate;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.tls.TlsProvider;
import io.netty.handler.ssl.SslContextBuilder;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Relay throughput beside direct throughput, in one run: the same {@code GET /api/stream?rate=0}
 * transfer straight from the recorder's local port (HTTP/1.1, with a grant) and through the cloud's
 * relay ({@code https://CLOUD/relay/{id}/...}: viewer TLS, cloud, link TLS with HTTP/2, recorder),
 * in alternating rounds after a warm-up, drained by the same {@link DrainClient}. Prints MB/s
 * (10^6 bytes per second) of each round, CPU seconds per GB, and the median ratio relay/direct.
 *
 * <p>The cloud runs in this JVM. The recorder runs in this JVM too ({@code --recorder same}, the
 * default) or in a JVM of its own ({@code --recorder separate}).
 *
 * <pre>bench/run RelayThroughput [--bytes 1073741824] [--rounds 5] [--warmup-rounds 2] [--chunk 65536] [--recorder same|separate] [--direct http|https]</pre>
 *
 * <p>{@code --direct https} serves the recorder's local port over TLS (the cloud's certificate, the JDK
 * provider, as the relay uses), to see what the relay costs beyond TLS itself.
 */
public final class RelayThroughput {
    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        long bytes = args.number("bytes", 1L << 30);
        int rounds = (int) args.number("rounds", 5);
        int warmups = (int) args.number("warmup-rounds", 2);
        int chunk = (int) args.number("chunk", 64 * 1024);
        String placement = args.text("recorder", "same");
        String directScheme = args.text("direct", "http");
        args.done();
        if (!directScheme.equals("http") && !(directScheme.equals("https") && placement.equals("same"))) {
            throw new IllegalArgumentException("--direct is http, or https with --recorder same; not " + directScheme);
        }
        if (!placement.equals("same") && !placement.equals("separate")) {
            throw new IllegalArgumentException("--recorder is same or separate, not " + placement);
        }

        Path data = TempDirs.create("outpost-bench-relay-");
        ChildJvm child = null;
        Recorder recorder = null;
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"));
             DrainClient drain = new DrainClient(Optional.of(cloud.fingerprint()))) {
            String recorderId;
            int localPort;
            String code = cloud.activationCode("throughput");
            if (placement.equals("same")) {
                LocalHttpConfig local = LocalHttpConfig.defaults().withPort(0);
                if (directScheme.equals("https")) {
                    // The cloud's own certificate and the same JDK TLS provider, so both paths pay for TLS alike.
                    CloudCertificate certificate = CloudCertificate.load(Optional.empty(), Optional.empty(),
                            data.resolve("cloud"), List.of());
                    local = local.withTls(SslContextBuilder.forServer(certificate.key(),
                                    certificate.chain().toArray(X509Certificate[]::new))
                            .sslProvider(TlsProvider.netty()).protocols("TLSv1.3").build());
                }
                recorder = Recorder.start(RecorderConfig.defaults(data.resolve("recorder"))
                        .withLocal(local)
                        .withActivation(cloud.url(), code));
                recorderId = recorder.identity().recorderId();
                localPort = recorder.localPort();
            } else {
                child = new ChildJvm(List.of(), RecorderNode.class, data.resolve("recorder").toString(),
                        cloud.url().toString(), code);
                String[] ready = child.await("READY").split(" ");
                recorderId = ready[1];
                localPort = Integer.parseInt(ready[2]);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!cloud.server().links().isOnline(recorderId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the recorder's link did not come up within 30 s");
                }
                Thread.sleep(50);
            }
            if (recorder != null && recorder.linkStatus().state() != LinkStatus.State.ONLINE) {
                Thread.sleep(200);
            }
            String query = "api/stream?rate=0&chunk=" + chunk + "&limit=" + bytes;
            URI direct = URI.create(directScheme + "://127.0.0.1:" + localPort + "/" + query);
            URI relay = URI.create(cloud.url() + "/relay/" + recorderId + "/" + query);

            try (OutpostClient api = OutpostClient.builder(cloud.url()).trust(CloudTrust.pinned(cloud.fingerprint()))
                    .token(cloud.sessionToken()).build()) {
                BenchLog.say("RelayThroughput: %d bytes per transfer, chunk %d, recorder in %s JVM, direct over %s, %d warm-up and %d measured rounds",
                        bytes, chunk, placement.equals("same") ? "the same" : "a separate", directScheme, warmups, rounds);
                BenchLog.say("  direct: %s", direct);
                BenchLog.say("  relay:  %s", relay);
                Cpu cpu = new Cpu(child);
                for (int i = 0; i < warmups; i++) {
                    transfer(drain, direct, api.grant(recorderId).grant(), bytes, cpu);
                    transfer(drain, relay, cloud.sessionToken(), bytes, cpu);
                }
                BenchLog.say("");
                BenchLog.say("| round | direct MB/s | relay MB/s | relay/direct | direct CPU s/GB | relay CPU s/GB |");
                BenchLog.say("|---|---|---|---|---|---|");
                double[] directRates = new double[rounds];
                double[] relayRates = new double[rounds];
                double[] ratios = new double[rounds];
                double[] directCpu = new double[rounds];
                double[] relayCpu = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    Measured d;
                    Measured y;
                    if (r % 2 == 0) { // alternate which goes first, so drift favours neither
                        d = transfer(drain, direct, api.grant(recorderId).grant(), bytes, cpu);
                        y = transfer(drain, relay, cloud.sessionToken(), bytes, cpu);
                    } else {
                        y = transfer(drain, relay, cloud.sessionToken(), bytes, cpu);
                        d = transfer(drain, direct, api.grant(recorderId).grant(), bytes, cpu);
                    }
                    directRates[r] = d.rate();
                    relayRates[r] = y.rate();
                    ratios[r] = y.rate() / d.rate();
                    directCpu[r] = d.cpuPerGb();
                    relayCpu[r] = y.cpuPerGb();
                    BenchLog.say("| %d | %.0f | %.0f | %.2f | %.2f | %.2f |", r + 1, d.rate(), y.rate(), ratios[r],
                            d.cpuPerGb(), y.cpuPerGb());
                }
                double ratio = median(ratios);
                BenchLog.say("| median | %.0f | %.0f | %.2f | %.2f | %.2f |", median(directRates), median(relayRates), ratio,
                        median(directCpu), median(relayCpu));
                BenchLog.say("");
                BenchLog.say("RelayThroughput %s: median ratio relay/direct %.2f (target >= 0.5: %s)", Instant.now(), ratio,
                        ratio >= 0.5 ? "met" : "NOT met");
            }
            if (recorder != null) { // before the cloud, so the recorder does not report its link lost
                recorder.close();
                recorder = null;
            }
            if (child != null) {
                child.close();
                child = null;
            }
        } finally {
            if (recorder != null) {
                recorder.close();
            }
            if (child != null) {
                child.close();
            }
            TempDirs.delete(data);
        }
        System.exit(0);
    }

    private record Measured(double rate, double cpuPerGb) {
    }

    private static Measured transfer(DrainClient drain, URI uri, String bearer, long bytes, Cpu cpu) throws Exception {
        double cpuBefore = cpu.seconds();
        DrainClient.Transfer t = drain.get(uri, bearer);
        double used = cpu.seconds() - cpuBefore;
        if (t.status() != 200 || t.bytes() != bytes) {
            throw new IllegalStateException(uri + " answered " + t.status() + " with " + t.bytes() + " bytes, not 200 with "
                    + bytes);
        }
        return new Measured(t.megabytesPerSecond(), used / (bytes / 1e9));
    }

    /** CPU seconds used by this JVM and the recorder's, if it has its own. */
    private record Cpu(ChildJvm child) {
        double seconds() {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return os.getProcessCpuTime() / 1e9 + (child == null ? 0 : child.cpuSeconds());
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
