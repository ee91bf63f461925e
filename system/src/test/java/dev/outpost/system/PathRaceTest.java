package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RecorderConnection;
import dev.outpost.client.RecorderPath;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client races the broker's paths best-first on a real cloud and recorder: the LAN path wins when the
 * viewer is on the recorder's site, a Direct Connect that never answers costs the relay only the stagger, and a
 * stream whose path goes silent moves to the relay within 2 s. A port forward is played by a TCP forwarder in
 * this test, which can freeze like a router that lost its forwarding rule.
 */
class PathRaceTest {

    @Test
    void theLanPathWinsOnTheRecordersSite(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = lanRecorder(site);
            OutpostClient viewer = site.admin();
            String id = recorder.identity().recorderId();
            await().atMost(Duration.ofSeconds(10)).until(() -> viewer.connect(id).paths().size() > 1);
            try (RecorderConnection connection = RecorderConnection.open(viewer, id);
                 RelayResponse info = connection.get("/api/info")) {
                assertThat(connection.path().kind()).isEqualTo("lan");
                assertThat(connection.path().url().getPort()).isEqualTo(recorder.localPort());
                assertThat(info.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aDirectConnectThatNeverAnswersLosesToTheRelayWithinTwoSeconds(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // accepts, never speaks
            Recorder recorder = lanRecorder(site);
            OutpostClient viewer = site.admin();
            String id = recorder.identity().recorderId();
            viewer.saveNetworkSettings(id, new RemoteNetworkSettings(false, List.of(),
                    Optional.of(new DirectConnect("127.0.0.1", silent.getLocalPort(), "https"))));
            long start = System.nanoTime();
            try (RecorderConnection connection = RecorderConnection.open(viewer, id)) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(connection.path().kind()).isEqualTo("relay");
                assertThat(took).isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void aStreamWhosePathFreezesMovesToTheRelayWithinTwoSeconds(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = lanRecorder(site);
            OutpostClient viewer = site.admin();
            String id = recorder.identity().recorderId();
            try (Forwarder forward = new Forwarder(recorder.localPort())) {
                viewer.saveNetworkSettings(id, new RemoteNetworkSettings(false, List.of(),
                        Optional.of(new DirectConnect("127.0.0.1", forward.port(), "https"))));
                List<RecorderPath> switches = new CopyOnWriteArrayList<>();
                try (RecorderConnection connection = RecorderConnection.open(viewer, id);
                     InputStream live = connection.openLive("/api/stream?rate=200000&chunk=2000",
                             Duration.ofMillis(1000), switches::add)) {
                    assertThat(connection.path().kind()).isEqualTo("direct");
                    live.readNBytes(100_000);

                    forward.freeze();
                    long frozen = System.nanoTime();
                    live.readNBytes(300_000); // carries on, by the relay
                    assertThat(switches).extracting(RecorderPath::kind).containsExactly("relay");
                    assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isLessThan(Duration.ofSeconds(4));
                    assertThat(connection.history()).extracting(RecorderPath::kind).containsExactly("direct", "relay");
                    // Noticed after 1 s of silence, then the relay answered the race in under 1 s: within 2 s.
                    assertThat(switches.getFirst().connectTime()).isLessThan(Duration.ofSeconds(1));
                }
            }
        }
    }

    private static Recorder lanRecorder(Site site) throws Exception {
        return site.recorder("Shop", c -> c.withLocal(LocalHttpConfig.defaults().withBindAddress("0.0.0.0").withPort(0)));
    }

    /** A port forward: copies bytes both ways to the recorder's port until frozen (then holds them silently). */
    private static final class Forwarder implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean frozen;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        Forwarder(int target) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket();
                        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                        sockets.add(in);
                        sockets.add(out);
                        Thread.ofVirtual().start(() -> copy(in, out));
                        Thread.ofVirtual().start(() -> copy(out, in));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        private void copy(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!frozen && (n = in.read(buffer)) >= 0) {
                    if (frozen) {
                        break;
                    }
                    out.write(buffer, 0, n);
                }
                if (frozen) {
                    closed.await(); // a frozen router holds the connection open and silent
                }
            } catch (IOException | InterruptedException gone) {
                // the other side closed
            }
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
