package dev.outpost.lab;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.client.Session;
import dev.outpost.client.SessionStore;
import dev.outpost.client.p2p.P2pDialer;
import dev.outpost.client.p2p.P2pLink;
import dev.outpost.p2p.http.Http1Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Run by {@link P2pFigures} as a viewer in the lab, one JVM for all rounds (so class loading and JIT are paid once,
 * as by a viewer app that stays open): sets up P2P to a recorder {@code rounds} times, printing each setup's steps,
 * then reads {@code GET /api/stream?rate=0} (unpaced bytes) for {@code seconds} by the relay and by P2P in turn.
 *
 * <pre>P2pProbe RECORDER_ID ROUNDS SECONDS</pre> (the session from {@code OUTPOST_CONFIG_DIR}, as {@code outpost})
 */
public final class P2pProbe {
    private static final String STREAM = "/api/stream?rate=0&chunk=65536";

    private P2pProbe() {
    }

    public static void main(String[] args) throws Exception {
        String recorderId = args[0];
        int rounds = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Session session = new SessionStore(Path.of(System.getenv("OUTPOST_CONFIG_DIR"))).load().orElseThrow();
        try (OutpostClient cloud = OutpostClient.resume(session)) {
            P2pDialer.dial(cloud, recorderId, P2pDialer.ICE_BOUND).close(); // warm-up: class loading, JIT
            // What one request through the relay costs (GET /api/info, POST /api/echo), to compare signalling with.
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                try (RelayResponse info = cloud.relayGet(recorderId, "api/info").requireSuccess()) {
                    info.body().readAllBytes();
                }
                long got = System.nanoTime();
                try (RelayResponse echo = cloud.relaySend(recorderId, "POST", "api/echo", "application/json",
                        new ByteArrayInputStream(new byte[600])).requireSuccess()) {
                    echo.body().readAllBytes();
                }
                System.out.printf("relay round trip: GET %d POST %d%n", (got - start) / 1_000_000,
                        (System.nanoTime() - got) / 1_000_000);
            }
            for (int round = 0; round < rounds; round++) {
                try (P2pLink link = P2pDialer.dial(cloud, recorderId, P2pDialer.ICE_BOUND)) {
                    P2pLink.Setup setup = link.setup();
                    System.out.printf("setup %d: total %d signalling %d ice %d quic %d gathering %d%n", round,
                            setup.total().toMillis(), setup.signalling().toMillis(), setup.ice().toMillis(),
                            setup.quic().toMillis(), setup.gathering().toMillis());
                }
            }
            try (RelayResponse relay = cloud.relayGet(recorderId, STREAM).requireSuccess()) {
                System.out.printf("throughput relay: %d bytes in %d s%n", drain(relay.body(), seconds), seconds);
            }
            String grant = cloud.connect(recorderId).grant();
            try (P2pLink link = P2pDialer.dial(cloud, recorderId, P2pDialer.ICE_BOUND)) {
                Http1Response p2p = link.get(STREAM, grant);
                if (p2p.status() != 200) {
                    throw new IOException("P2P GET answered " + p2p.status());
                }
                System.out.printf("throughput p2p: %d bytes in %d s%n", drain(p2p.body(), seconds), seconds);
                p2p.body().close();
            }
        }
        System.exit(0);
    }

    private static long drain(InputStream in, int seconds) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
