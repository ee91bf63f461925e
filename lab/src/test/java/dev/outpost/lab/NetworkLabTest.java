package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testkit.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's network behaves like the internet it stands for: sites reach the cloud through their NAT, the cloud
 * sees only the routers' public addresses, nothing reaches a site unsolicited unless a port is forwarded, and a
 * locked-down site reaches nothing but its proxy. Sockets are opened in this JVM from threads inside each
 * namespace.
 */
class NetworkLabTest {
    private static final int TIMEOUT_MS = 10_000;

    @Test
    void sitesReachTheCloudThroughTheirNatAndTheCloudSeesOnlyPublicAddresses(@TempDir Path dir) throws Exception {
        try (NetworkLab lab = NetworkLab.start(dir);
             ServerSocket server = listen(lab.cloud().netns(), lab.cloud().address(), 8443)) {
            assertThat(peerSeenBy(server, lab.recorder().netns(), lab.cloud().address())).isEqualTo("203.0.113.11");
            assertThat(peerSeenBy(server, lab.viewerA().netns(), lab.cloud().address())).isEqualTo("203.0.113.11");
            assertThat(peerSeenBy(server, lab.viewerB().netns(), lab.cloud().address())).isEqualTo("203.0.113.12");
        }
    }

    @Test
    void nothingReachesASiteUnsolicitedButAForwardedPort(@TempDir Path dir) throws Exception {
        try (NetworkLab lab = NetworkLab.start(dir);
             ServerSocket recorder = listen(lab.recorder().netns(), "0.0.0.0", 7080)) {
            String routerA = lab.routerA().wanAddress();
            // The site's private address has no route from the WAN; its public address drops what nobody asked for.
            assertThat(connectFailure(lab.viewerB().netns(), lab.recorder().address(), 7080))
                    .hasMessageContaining("unreachable");
            assertThat(connectFailure(lab.viewerB().netns(), routerA, 7080)).isInstanceOf(SocketTimeoutException.class);

            lab.routerA().forward(8080, lab.recorder(), 7080);
            assertThat(peerSeenBy(recorder, lab.viewerB().netns(), routerA, 8080)).isEqualTo("203.0.113.12");

            lab.routerA().removeForwards();
            assertThat(connectFailure(lab.viewerB().netns(), routerA, 8080)).isInstanceOf(SocketTimeoutException.class);
            // A viewer on the same LAN reaches the recorder's private address directly.
            assertThat(peerSeenBy(recorder, lab.viewerA().netns(), lab.recorder().address(), 7080))
                    .isEqualTo(lab.viewerA().address());
        }
    }

    @Test
    void aLockedDownSiteReachesOnlyItsProxy(@TempDir Path dir) throws Exception {
        try (NetworkLab lab = NetworkLab.start(dir);
             ServerSocket cloud = listen(lab.cloud().netns(), lab.cloud().address(), 8443);
             ServerSocket proxy = listen(lab.routerA().netns(), lab.routerA().lanAddress(), 3128)) {
            lab.routerA().allowOnlyProxy(3128);
            assertThat(connectFailure(lab.recorder().netns(), lab.cloud().address(), 8443))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(peerSeenBy(proxy, lab.recorder().netns(), lab.routerA().lanAddress(), 3128))
                    .isEqualTo(lab.recorder().address());
            // The other site is not affected.
            assertThat(peerSeenBy(cloud, lab.viewerB().netns(), lab.cloud().address())).isEqualTo("203.0.113.12");

            lab.routerA().allowEverythingOut();
            assertThat(peerSeenBy(cloud, lab.recorder().netns(), lab.cloud().address())).isEqualTo("203.0.113.11");
        }
    }

    @Test
    void aDelayedWanHoldsEveryPacketAndStillCarriesTheSites(@TempDir Path dir) throws Exception {
        try (NetworkLab lab = NetworkLab.start(dir);
             ServerSocket server = listen(lab.cloud().netns(), lab.cloud().address(), 8443)) {
            lab.delayWan(Duration.ofMillis(20));
            // A TCP handshake is one round trip: at least 2 x 20 ms between a site and the cloud.
            long started = System.nanoTime();
            assertThat(peerSeenBy(server, lab.viewerB().netns(), lab.cloud().address())).isEqualTo("203.0.113.12");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            assertThat(peerSeenBy(server, lab.recorder().netns(), lab.cloud().address())).isEqualTo("203.0.113.11");
            // The LAN is not delayed, and the replaced ports left NAT and firewall as they were.
            assertThat(connectFailure(lab.viewerB().netns(), lab.routerA().wanAddress(), 7080))
                    .isInstanceOf(SocketTimeoutException.class);
            byte[] echoed = echoThroughCloud(server, lab.viewerB().netns(), 256 * 1024);
            assertThat(echoed).hasSize(256 * 1024);
        }
    }

    @Test
    void closingDeletesEveryNamespaceAndAStaleOneIsRemovedAtTheNextStart(@TempDir Path dir) throws Exception {
        List<NetworkNamespace> used;
        try (NetworkLab lab = NetworkLab.start(dir)) {
            used = lab.namespaces();
            assertThat(used).hasSize(7).allMatch(NetworkNamespace::exists);
        }
        assertThat(used).noneMatch(NetworkNamespace::exists);

        // A namespace left by a run whose JVM died (no process has PID 2^22 + 1: beyond pid_max's ceiling).
        String stale = NetworkLab.PREFIX + ((1 << 22) + 1) + "-abcdef-wan";
        LabCommand.run("ip", "netns", "add", stale);
        try {
            NetworkLab.removeStale();
            assertThat(NetworkNamespace.named(stale).exists()).isFalse();
        } finally {
            LabCommand.attempt(List.of("ip", "netns", "delete", stale));
        }
    }

    private static ServerSocket listen(NetworkNamespace netns, String address, int port) throws Exception {
        return netns.call(() -> {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            server.setSoTimeout(TIMEOUT_MS);
            return server;
        }, TIMEOUT_MS);
    }

    private static String peerSeenBy(ServerSocket server, NetworkNamespace from, String address) throws Exception {
        return peerSeenBy(server, from, address, server.getLocalPort());
    }

    /** Connects from {@code from} to address:port and returns the client address the server saw. */
    private static String peerSeenBy(ServerSocket server, NetworkNamespace from, String address, int port)
            throws Exception {
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            try (Socket accepted = server.accept()) {
                return accepted.getInetAddress().getHostAddress();
            } catch (IOException e) {
                throw new IllegalStateException("nothing accepted on " + server.getLocalSocketAddress(), e);
            }
        });
        try (Socket client = from.call(() -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return socket;
        }, TIMEOUT_MS)) {
            return seen.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The failure of a connection attempt from {@code from} that must fail (within 1 s if dropped). */
    private static Throwable connectFailure(NetworkNamespace from, String address, int port) throws Exception {
        return from.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 1_000);
                throw new AssertionError("connected from " + from + " to " + address + ":" + port);
            } catch (SocketException | SocketTimeoutException expected) {
                return expected;
            }
        }, TIMEOUT_MS);
    }

    /** Sends {@code size} bytes from {@code from} to the cloud's server and reads them back: no frame lost or cut. */
    private static byte[] echoThroughCloud(ServerSocket server, NetworkNamespace from, int size) throws Exception {
        // Threads of their own: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            try (Socket accepted = server.accept()) {
                accepted.getInputStream().transferTo(accepted.getOutputStream());
            } catch (IOException e) {
                throw new IllegalStateException("echo failed", e);
            }
        }, threads);
        byte[] sent = new byte[size];
        new Random(7).nextBytes(sent);
        try (Socket client = from.call(() -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 2_000);
            socket.setSoTimeout(TIMEOUT_MS);
            return socket;
        }, TIMEOUT_MS)) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException("sending failed", e);
                }
            }, threads);
            byte[] received = client.getInputStream().readAllBytes();
            writing.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            echo.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertThat(received).isEqualTo(sent);
            return received;
        } finally {
            threads.shutdownNow();
        }
    }
}
