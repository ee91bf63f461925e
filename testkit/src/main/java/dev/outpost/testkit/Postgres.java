package dev.outpost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server for one test class, from Debian's {@code postgresql} package: its own
 * cluster in a temporary directory, listening on a free port of 127.0.0.1 with trust authentication,
 * removed again by {@link #close()}. Tests that need it fail (never skip) when the package is missing,
 * so a CI run cannot pass without PostgreSQL.
 */
public final class Postgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Postgres.class);
    private static final Path DEBIAN_INSTALLS = Path.of("/usr/lib/postgresql");
    private static final String SUPERUSER = "postgres";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(120);
    private static final int START_ATTEMPTS = 3;

    private final Path binaries;
    private final Path directory;
    private final List<String> runAs;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread shutdownHook;

    private Postgres(Path binaries, Path directory, List<String> runAs, int port) {
        this.binaries = binaries;
        this.directory = directory;
        this.runAs = runAs;
        this.port = port;
        this.shutdownHook = Thread.ofPlatform().unstarted(this::stop);
    }

    /** Creates a cluster and starts it; returns once it accepts connections on 127.0.0.1. */
    public static Postgres start() {
        Path binaries = findBinaries();
        List<String> runAs = isRoot() ? List.of("runuser", "-u", SUPERUSER, "--") : List.of();
        Path directory;
        try {
            directory = Files.createTempDirectory("outpost-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test PostgreSQL", e);
        }
        try {
            createCluster(binaries, runAs, directory);
            IllegalStateException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freeLoopbackPort();
                Postgres server = new Postgres(binaries, directory, runAs, port);
                try {
                    server.startServer();
                    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
                    log.info("test PostgreSQL ready at {} (in {})", server.jdbcUrl(), directory);
                    return server;
                } catch (IllegalStateException e) {
                    // Another process may have taken the port between our probe and the server's bind.
                    lastFailure = e;
                    log.warn("test PostgreSQL did not start on port {} (attempt {}): {}", port, attempt, e.getMessage());
                }
            }
            throw lastFailure;
        } catch (RuntimeException e) {
            ScratchDirectory.delete(directory, "test PostgreSQL");
            throw e;
        }
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl(SUPERUSER);
    }

    /** The JDBC URL of the given database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser to connect as; no password is needed. */
    public String user() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    Path directory() {
        return directory;
    }

    Path binaries() {
        return binaries;
    }

    /** Creates an empty database, so each test can start from nothing, and returns its JDBC URL. */
    public String createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        run(runAs, directory, binaries.resolve("createdb").toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", SUPERUSER, name);
        return jdbcUrl(name);
    }

    /** Stops the server at once (no clean shutdown: its data is thrown away) and deletes its directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; nothing left to undo.
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            run(runAs, directory, binaries.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop");
        } catch (RuntimeException e) {
            log.warn("test PostgreSQL in {} did not stop cleanly: {}", directory, e.getMessage());
        } finally {
            ScratchDirectory.delete(directory, "test PostgreSQL");
        }
    }

    private void startServer() {
        Path data = directory.resolve("data");
        try {
            // pg_ctl -w polls the server until it accepts connections, up to the -t deadline.
            run(runAs, directory, binaries.resolve("pg_ctl").toString(), "-D", data.toString(),
                    "-l", directory.resolve("server.log").toString(), "-w",
                    "-t", Long.toString(READY_DEADLINE.toSeconds()), "-o", "-p " + port, "start");
            run(runAs, directory, binaries.resolve("pg_isready").toString(), "-h", "127.0.0.1",
                    "-p", Integer.toString(port), "-U", SUPERUSER, "-t", Long.toString(READY_DEADLINE.toSeconds()));
        } catch (IllegalStateException e) {
            closed.set(true);
            try {
                run(runAs, directory, binaries.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "immediate", "-w", "stop");
            } catch (IllegalStateException notRunning) {
                // It never started; nothing to stop.
            }
            throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + serverLog(), e);
        }
    }

    private String serverLog() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static void createCluster(Path binaries, List<String> runAs, Path directory) {
        try {
            if (isRoot()) {
                handToPostgresUser(directory);
            }
            run(runAs, directory, binaries.resolve("initdb").toString(), "-D", directory.resolve("data").toString(),
                    "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
            Path socket = Files.createDirectory(directory.resolve("socket"));
            if (isRoot()) {
                handToPostgresUser(socket);
            }
            restrictToLoopback(directory.resolve("data"), socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the test PostgreSQL in " + directory, e);
        }
    }

    /** Trust authentication, but only over the socket in our directory and on 127.0.0.1. */
    private static void restrictToLoopback(Path data, Path socket) throws IOException {
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host all all 127.0.0.1/32 trust
                """, StandardCharsets.UTF_8);
        Files.writeString(data.resolve("postgresql.conf"), """

                # Outpost test server: loopback only, durability traded for speed.
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_connections = 100
                """.formatted(socket), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static Path findBinaries() {
        Optional<Path> found;
        try (Stream<Path> versions = Files.isDirectory(DEBIAN_INSTALLS) ? Files.list(DEBIAN_INSTALLS) : Stream.empty()) {
            found = versions
                    .map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(Postgres::majorVersion));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for PostgreSQL in " + DEBIAN_INSTALLS, e);
        }
        return found.orElseThrow(() -> new IllegalStateException("tests need a PostgreSQL server, but no initdb and"
                + " pg_ctl were found in " + DEBIAN_INSTALLS + "/*/bin: install the Debian package with"
                + " `apt-get install postgresql`"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** initdb refuses to run as root, so when we are root the cluster belongs to the postgres user. */
    private static void handToPostgresUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName(SUPERUSER));
            GroupPrincipal group = users.lookupPrincipalByGroupName(SUPERUSER);
            view.setGroup(group);
        } catch (IOException e) {
            throw new IOException("cannot hand " + path + " to the OS user '" + SUPERUSER + "' (the postgresql"
                    + " package creates it: `apt-get install postgresql`)", e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void run(List<String> runAs, Path directory, String... command) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(List.of(command));
        try {
            // The postgres user may not be allowed into the JVM's working directory; ours is its own.
            Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within " + COMMAND_DEADLINE);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed with exit code " + process.exitValue()
                        + ":\n" + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
    }
}
