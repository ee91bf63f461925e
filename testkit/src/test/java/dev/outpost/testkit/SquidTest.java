package dev.outpost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SquidTest {

    private static final String USER = "recorder";
    // Characters that must be percent-encoded in url() and URL-decoded again by squid's auth helper.
    private static final String PASSWORD = "s3cret:p@ss w%rd";

    private static EchoServer echo;
    private static Squid squid;

    @BeforeAll
    static void start() throws IOException {
        echo = new EchoServer();
        squid = Squid.builder().basicAuth(USER, PASSWORD).allowConnectPort(echo.port()).start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (squid != null) {
            squid.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void connectWithoutCredentialsGets407() throws IOException {
        try (var socket = new Socket(squid.host(), squid.port())) {
            String head = connect(socket, "127.0.0.1:" + echo.port(), Optional.empty());

            assertThat(head).startsWith("HTTP/1.1 407 ").contains("Proxy-Authenticate: Basic realm=\"outpost-test\"");
        }
    }

    @Test
    void tunnelWithCredentialsEchoesBytesAndIsLogged() throws IOException {
        String target = "127.0.0.1:" + echo.port();
        assertThat(squid.url().toString())
                .isEqualTo("http://recorder:s3cret%3Ap%40ss%20w%25rd@127.0.0.1:" + squid.port());
        try (var socket = new Socket(squid.host(), squid.port())) {
            String head = connect(socket, target, Optional.of(credentialsOf(squid.url())));
            assertThat(head).startsWith("HTTP/1.1 200 ");

            byte[] hello = "hello through squid".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(hello);
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
        }

        // Squid logs a tunnel when it closes.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(squid.accessLog())
                .anyMatch(line -> line.contains("TCP_TUNNEL/200") && line.contains("CONNECT " + target + " " + USER)));
    }

    @Test
    void wrongPasswordGets407() throws IOException {
        try (var socket = new Socket(squid.host(), squid.port())) {
            String head = connect(socket, "127.0.0.1:" + echo.port(), Optional.of(USER + ":not-the-password"));

            assertThat(head).startsWith("HTTP/1.1 407 ");
        }
    }

    @Test
    void connectToPortNotAllowedGets403() throws IOException {
        try (var other = new EchoServer(); var socket = new Socket(squid.host(), squid.port())) {
            String head = connect(socket, "127.0.0.1:" + other.port(), Optional.of(credentialsOf(squid.url())));

            assertThat(head).startsWith("HTTP/1.1 403 ");
            assertThat(other.accepted()).isZero();
        }
    }

    @Test
    void withoutAuthTunnelsAndUrlHasNoUserInfo() throws IOException {
        try (var open = Squid.builder().allowConnectPort(echo.port()).start();
                var socket = new Socket(open.host(), open.port())) {
            assertThat(open.url()).isEqualTo(URI.create("http://127.0.0.1:" + open.port()));

            String head = connect(socket, "127.0.0.1:" + echo.port(), Optional.empty());
            assertThat(head).startsWith("HTTP/1.1 200 ");
            socket.getOutputStream().write(42);
            assertThat(socket.getInputStream().read()).isEqualTo(42);
        }
    }

    @Test
    void closeLeavesNoProcessNorFiles() throws IOException {
        var own = Squid.builder().basicAuth(USER, PASSWORD).allowConnectPort(echo.port()).start();
        try (var socket = new Socket(own.host(), own.port())) {
            // An authenticated request makes sure the auth helper runs as a child of squid.
            assertThat(connect(socket, "127.0.0.1:" + echo.port(), Optional.of(credentialsOf(own.url()))))
                    .startsWith("HTTP/1.1 200 ");
        }
        ProcessHandle process = own.processHandle();
        List<ProcessHandle> helpers = process.descendants().toList();
        assertThat(process.isAlive()).isTrue();
        assertThat(helpers).isNotEmpty();

        own.close();

        assertThat(process.isAlive()).as("squid pid %d", process.pid()).isFalse();
        assertThat(ProcessHandle.of(process.pid())).isEmpty();
        // An orphaned helper may linger as a zombie until init reaps it: that is not running.
        assertThat(helpers).noneMatch(SquidProcess::running);
        assertThat(own.directory()).doesNotExist();
        try (var shm = Files.list(Path.of("/dev/shm"))) {
            assertThat(shm.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(own.serviceName() + "-"));
        }
        own.close(); // idempotent
    }

    @Test
    void startsOnAnotherPortWhenItsPortIsTaken() throws IOException {
        try (var taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            var ports = new ArrayDeque<>(List.of(taken.getLocalPort(), freePort()));

            try (var retried = Squid.builder().listenPorts(ports::remove).allowConnectPort(echo.port()).start();
                    var socket = new Socket(retried.host(), retried.port())) {
                assertThat(retried.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(connect(socket, "127.0.0.1:" + echo.port(), Optional.empty())).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void rejectsUserThatBasicAuthCannotCarry() {
        assertThatThrownBy(() -> Squid.builder().basicAuth("re:corder", PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("':'");
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a CONNECT and returns the response head; the socket is then the tunnel if the status is 200. */
    private static String connect(Socket socket, String target, Optional<String> credentials) throws IOException {
        var request = new StringBuilder("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n");
        credentials.ifPresent(c -> request.append("Proxy-Authorization: Basic ")
                .append(Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))).append("\r\n"));
        request.append("\r\n");
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
        return readHead(socket.getInputStream());
    }

    /** Reads byte by byte up to the blank line, so no tunnelled byte is consumed. */
    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@code user:password} as a proxy client takes it from the URL: percent-decoded user info. */
    private static String credentialsOf(URI url) {
        return url.getUserInfo();
    }

    /** A TCP echo server on 127.0.0.1 that counts the connections it accepted. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicInteger accepted = new AtomicInteger();

        EchoServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            threads.submit(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    threads.submit(() -> echo(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void echo(Socket socket) {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException peerGone) {
                // The test closed its end.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
