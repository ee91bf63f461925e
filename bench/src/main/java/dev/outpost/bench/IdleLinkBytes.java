package dev.outpost.bench;

import dev.outpost.recorder.identity.RecorderIdentity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bytes on the wire per idle link per day. A cloud and {@code --links} recorder links run in this JVM;
 * every link goes through a {@link CountingProxy} on loopback, which counts TCP payload bytes and TLS
 * records each way, while the kernel's tcp_info ({@link TcpSegments}) counts segments, pure ACKs
 * included, for the header overhead. Nothing is sent on the links but what the link itself sends when
 * idle (heartbeats); the window starts after the links are up and have settled.
 *
 * <pre>bench/run IdleLinkBytes [--links 10] [--minutes 10] [--settle-seconds 30]</pre>
 */
public final class IdleLinkBytes {
    /** IPv4 (20) + TCP (20) + the timestamp option Linux sends on every segment (12). */
    static final int HEADER_BYTES_PER_SEGMENT = 52;
    static final double SECONDS_PER_DAY = 86_400;

    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int links = (int) args.number("links", 10);
        long seconds = args.number("seconds", args.number("minutes", 10) * 60);
        long settle = args.number("settle-seconds", 30);
        args.done();

        Path data = TempDirs.create("outpost-bench-bytes-");
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"));
             CountingProxy proxy = new CountingProxy(new InetSocketAddress("127.0.0.1", cloud.server().port()));
             LinkFleet fleet = new LinkFleet(1)) {
            URI viaProxy = URI.create("https://127.0.0.1:" + proxy.port());
            BenchLog.say("IdleLinkBytes: %d links through a counting proxy on port %d to the cloud on port %d; %d s window",
                    links, proxy.port(), cloud.server().port(), seconds);
            List<RecorderIdentity> identities = LinkFleet.activate(viaProxy, links, 4,
                    i -> cloud.activationCode("idle-" + i));
            for (RecorderIdentity identity : identities) {
                fleet.open(identity);
            }
            fleet.awaitOnline(Duration.ofSeconds(60));
            while (cloud.server().links().size() < links) {
                Thread.sleep(50);
            }
            BenchLog.say("all %d links online; settling %d s", links, settle);
            Thread.sleep(settle * 1000);

            long acceptedBefore = proxy.accepted.sum();
            CountingProxy.Counts up0 = proxy.upstream.snapshot();
            CountingProxy.Counts down0 = proxy.downstream.snapshot();
            TcpSegments.Totals tcp0 = TcpSegments.toPort(proxy.port());
            Instant start = Instant.now();
            long startNanos = System.nanoTime();
            for (long elapsed = 0; elapsed < seconds; ) {
                long step = Math.min(60, seconds - elapsed);
                Thread.sleep(step * 1000);
                elapsed += step;
                CountingProxy.Counts up = proxy.upstream.snapshot().minus(up0);
                CountingProxy.Counts down = proxy.downstream.snapshot().minus(down0);
                BenchLog.say("  %4d s: %d bytes up, %d down, %d TLS records up, %d down; %d links online",
                        elapsed, up.bytes(), down.bytes(), up.records(), down.records(), fleet.online());
            }
            double window = (System.nanoTime() - startNanos) / 1e9;
            CountingProxy.Counts up = proxy.upstream.snapshot().minus(up0);
            CountingProxy.Counts down = proxy.downstream.snapshot().minus(down0);
            TcpSegments.Totals tcp = TcpSegments.toPort(proxy.port()).minus(tcp0);
            long reconnects = proxy.accepted.sum() - acceptedBefore;

            double perLinkDay = SECONDS_PER_DAY / window / links;
            double payload = (up.bytes() + down.bytes()) * perLinkDay;
            double records = (up.records() + down.records()) * perLinkDay;
            double segments = tcp.segments() * perLinkDay;
            double dataSegments = (tcp.dataSegsOut() + tcp.dataSegsIn()) * perLinkDay;
            double acks = tcp.pureAcks() * perLinkDay;
            double withHeaders = payload + segments * HEADER_BYTES_PER_SEGMENT;
            double bytesPerRecord = (double) (up.bytes() + down.bytes()) / Math.max(1, up.records() + down.records());

            BenchLog.say("");
            BenchLog.say("IdleLinkBytes %s, %d links, window %.0f s, %d reconnects during the window",
                    start, links, window, reconnects);
            BenchLog.say("  proxy (TCP payload): up %d bytes in %d TLS records, down %d bytes in %d TLS records",
                    up.bytes(), up.records(), down.bytes(), down.records());
            BenchLog.say("  kernel tcp_info over %d connections: %d segments (%d with data, %d pure ACKs), payload %d + %d bytes",
                    tcp.connections(), tcp.segments(), tcp.dataSegsOut() + tcp.dataSegsIn(), tcp.pureAcks(),
                    tcp.bytesSent(), tcp.bytesReceived());
            BenchLog.say("");
            BenchLog.say("| per idle link per day | value |");
            BenchLog.say("|---|---|");
            BenchLog.say("| TLS records (both directions) | %.0f (%.1f bytes each) |", records, bytesPerRecord);
            BenchLog.say("| one heartbeat exchange every | %.1f s |", window * links / Math.max(1, (up.records() + down.records()) / 2.0));
            BenchLog.say("| TCP payload bytes | %.0f (%.3f MB) |", payload, payload / 1e6);
            BenchLog.say("| TCP segments | %.0f (%.0f with data, %.0f pure ACKs) |", segments, dataSegments, acks);
            BenchLog.say("| with IPv4+TCP headers (%d B/segment) | %.0f (%.3f MB) |", HEADER_BYTES_PER_SEGMENT,
                    withHeaders, withHeaders / 1e6);
            BenchLog.say("| target | <= 1 MB: %s |", withHeaders <= 1e6 ? "met (headers included)"
                    : payload <= 1e6 ? "met for payload, not with headers" : "NOT met");
        } finally {
            TempDirs.delete(data);
        }
        System.exit(0);
    }
}
