package dev.outpost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private squid forward proxy for one test: CONNECT-only on 127.0.0.1, optionally behind Basic auth.
 *
 * <p>Each instance has its own directory (squid.conf, password file, logs, pid file), its own port and its own
 * squid process, a child of this JVM; {@link #close()} kills it and deletes the directory, and a JVM shutdown hook
 * kills any instance a test forgot to close.
 *
 * <pre>{@code
 * try (Squid squid = Squid.builder().basicAuth("recorder", "secret").allowConnectPort(cloudPort).start()) {
 *     connectThrough(squid.url());
 *     await().until(() -> squid.accessLog().stream().anyMatch(l -> l.contains("CONNECT 127.0.0.1:" + cloudPort)));
 * }
 * }</pre>
 */
public final class Squid implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Squid.class);

    private static final String LOOPBACK = "127.0.0.1";
    /** Squid's usual port, free in a network namespace of the test's own. */
    private static final int NAMESPACE_PORT = 3128;
    private static final int BIND_ATTEMPTS = 5;

    private final SquidConf conf;
    private final String host;
    private final Optional<BasicAuth> auth;
    private final SquidProcess process;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Squid(SquidConf conf, Optional<BasicAuth> auth, SquidProcess process) {
        this.conf = conf;
        this.host = conf.host();
        this.auth = auth;
        this.process = process;
        this.shutdownHook = Thread.ofPlatform().unstarted(process::stop);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link Squid}; by default no authentication and CONNECT allowed to port 443 only. */
    public static final class Builder {

        private Optional<BasicAuth> auth = Optional.empty();
        private final Set<Integer> connectPorts = new TreeSet<>(Set.of(443));
        private IntSupplier listenPorts = Squid::freePort;
        private final java.util.Map<String, String> hosts = new java.util.TreeMap<>();
        private Optional<NetworkNamespace> namespace = Optional.empty();
        private String listenAddress = LOOPBACK;

        private Builder() {
        }

        /**
         * Runs squid inside a network namespace (a network lab's router, say), listening on {@code listenAddress}
         * there, port 3128. Needs root.
         */
        public Builder inNetworkNamespace(NetworkNamespace netns, String listenAddress) {
            this.namespace = Optional.of(netns);
            this.listenAddress = listenAddress;
            this.listenPorts = () -> NAMESPACE_PORT;
            return this;
        }

        /** Requires Basic proxy authentication with this user and password: 407 without them. */
        public Builder basicAuth(String user, String password) {
            this.auth = Optional.of(new BasicAuth(user, password));
            return this;
        }

        /** Also allows CONNECT to this port (443 is always allowed); every other port gets 403. */
        public Builder allowConnectPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("CONNECT port must be 1..65535, got " + port);
            }
            connectPorts.add(port);
            return this;
        }

        /**
         * Lets squid (and only squid) resolve {@code name} to {@code address}: a client that cannot
         * resolve the name itself can reach it only through the proxy.
         */
        public Builder resolve(String name, String address) {
            hosts.put(name, address);
            return this;
        }

        /** Starts squid and returns once it answers requests. */
        public Squid start() {
            return Squid.start(auth, connectPorts, listenPorts, hosts, namespace, listenAddress);
        }

        /** Where listening ports come from; a test replaces it to lose the race for a port on purpose. */
        Builder listenPorts(IntSupplier ports) {
            this.listenPorts = ports;
            return this;
        }
    }

    private record BasicAuth(String user, String password) {
        BasicAuth {
            if (user.isEmpty() || user.chars().anyMatch(c -> c == ':' || Character.isWhitespace(c) || c < 0x20)) {
                throw new IllegalArgumentException("proxy user must be non-empty without ':', blanks or controls: '"
                        + user + "'");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("proxy password must not be empty");
            }
        }

        /**
         * A password-file line for basic_ncsa_auth. It accepts a bare hex MD5 digest of the password (as well as
         * crypt, MD5-crypt, APR1 and bcrypt, but not htpasswd's {SHA}), so no htpasswd binary is needed.
         */
        String passwordLine() {
            try {
                byte[] digest = MessageDigest.getInstance("MD5").digest(password.getBytes(StandardCharsets.UTF_8));
                return user + ":" + HexFormat.of().formatHex(digest) + "\n";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is a required JDK algorithm", e);
            }
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return conf.port();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, conf.port());
    }

    /** {@code http://user:password@127.0.0.1:PORT} (user and password percent-encoded), or without user info. */
    public URI url() {
        String userInfo = auth.map(a -> UserInfo.percentEncode(a.user()) + ":" + UserInfo.percentEncode(a.password()) + "@").orElse("");
        return URI.create("http://" + userInfo + host + ":" + conf.port());
    }

    /**
     * The access log so far, one line per finished transaction in squid's native format, e.g.
     * {@code 1795464005.923 12 127.0.0.1 TCP_TUNNEL/200 1043 CONNECT 127.0.0.1:8443 recorder HIER_DIRECT/127.0.0.1 -}.
     * Squid writes a CONNECT line only when the tunnel closes, so poll for it.
     */
    public List<String> accessLog() {
        if (closed.get()) {
            throw new IllegalStateException("squid on port " + conf.port() + " is closed; read its log before");
        }
        try {
            return Files.exists(conf.accessLog()) ? Files.readAllLines(conf.accessLog()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + conf.accessLog(), e);
        }
    }

    /** The squid process, for tests that check it is gone. */
    ProcessHandle processHandle() {
        return process.handle();
    }

    /** The {@code -n} name, which prefixes squid's shared-memory segments in /dev/shm. */
    String serviceName() {
        return process.serviceName();
    }

    /** Directory of squid.conf and the logs; deleted by {@link #close()}. */
    Path directory() {
        return conf.dir();
    }

    /** Kills squid, waits until it and its auth helpers are gone, and deletes its files. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run; stopping twice is harmless.
        }
        process.stop();
        ScratchDirectory.delete(conf.dir(), "squid");
        if (process.isAlive()) {
            throw new IllegalStateException("squid pid " + process.handle().pid() + " still runs "
                    + SquidProcess.STOP_TIMEOUT + " after SIGKILL");
        }
        log.debug("squid on {}:{} stopped", host, conf.port());
    }

    @Override
    public String toString() {
        return "Squid[" + host + ":" + conf.port() + ", pid " + process.handle().pid()
                + (closed.get() ? ", closed]" : "]");
    }

    private static Squid start(Optional<BasicAuth> auth, Set<Integer> connectPorts, IntSupplier listenPorts,
                               java.util.Map<String, String> hosts, Optional<NetworkNamespace> namespace,
                               String listenAddress) {
        requireInstalled(auth.isPresent());
        Path dir = createDirectory();
        try {
            boolean root = runningAsRoot();
            Optional<Path> passwords = auth.map(a -> writePasswords(dir, a));
            if (root) {
                // squid drops to `proxy` before opening its logs and starting the auth helper.
                giveToProxy(Stream.concat(Stream.of(dir), passwords.stream()).toList());
            }
            String serviceName = "outpost" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
                var conf = new SquidConf(dir, listenAddress, listenPorts.getAsInt(), connectPorts, passwords, root,
                        hosts);
                write(conf.file(), conf.render());
                if (!hosts.isEmpty()) {
                    write(conf.hostsFile(), conf.renderHosts());
                }
                SquidProcess.checkConfig(conf, serviceName);
                Optional<SquidProcess> process = SquidProcess.start(conf, serviceName, namespace);
                if (process.isPresent()) {
                    log.debug("squid started on {}:{} pid {} in {}", listenAddress, conf.port(), process.get().handle().pid(),
                            dir);
                    return new Squid(conf, auth, process.get());
                }
                // Another process took the port between freePort() and squid's bind: try another one.
                Files.deleteIfExists(conf.cacheLog());
            }
            throw new IllegalStateException("squid lost the race for a free port on " + listenAddress + " " + BIND_ATTEMPTS
                    + " times");
        } catch (IOException e) {
            ScratchDirectory.delete(dir, "squid");
            throw new UncheckedIOException("cannot prepare squid in " + dir, e);
        } catch (RuntimeException e) {
            ScratchDirectory.delete(dir, "squid");
            throw e;
        }
    }

    private static void requireInstalled(boolean needsAuthHelper) {
        if (!Files.isExecutable(SquidProcess.SQUID)) {
            throw new IllegalStateException(SquidProcess.SQUID + " not found: install the Debian package squid "
                    + "(apt-get install -y squid)");
        }
        if (needsAuthHelper && !Files.isExecutable(SquidConf.BASIC_NCSA_AUTH)) {
            throw new IllegalStateException(SquidConf.BASIC_NCSA_AUTH + " not found: reinstall the Debian package "
                    + "squid (apt-get install -y --reinstall squid)");
        }
    }

    /** A port free now; squid binds it a few milliseconds later, so it can lose it, and start() then retries. */
    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("outpost-squid-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for squid", e);
        }
    }

    private static Path writePasswords(Path dir, BasicAuth auth) {
        Path file = dir.resolve("passwords");
        write(file, auth.passwordLine());
        return file;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static boolean runningAsRoot() throws IOException {
        // /proc/self belongs to the effective user of this process.
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static void giveToProxy(List<Path> paths) throws IOException {
        UserPrincipal proxy;
        try {
            proxy = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("proxy");
        } catch (IOException e) {
            throw new IllegalStateException("running as root, squid switches to user 'proxy', which does not exist: "
                    + "install the Debian package squid, or run the tests as a normal user", e);
        }
        for (Path path : paths) {
            Files.setOwner(path, proxy);
        }
    }
}
