package dev.outpost.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the squid executable for a {@link Squid}: configuration check, foreground launch, readiness, kill.
 *
 * <p>Squid runs with {@code -N} (no daemon, no SMP kids), so the {@link Process} is squid itself and this JVM can
 * wait for it. It runs with its own {@code -n} service name because squid names its shared-memory segments in
 * {@code /dev/shm} after it, even without SMP: two instances under the default name would share them.
 */
final class SquidProcess {

    static final Path SQUID = Path.of("/usr/sbin/squid");

    private static final Logger log = LoggerFactory.getLogger(SquidProcess.class);

    private static final Duration PARSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] PROBE = ("CONNECT 127.0.0.1:" + SquidConf.PROBE_PORT + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + SquidConf.PROBE_PORT + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Process process;
    private final String serviceName;

    private SquidProcess(Process process, String serviceName) {
        this.process = process;
        this.serviceName = serviceName;
    }

    /** Runs {@code squid -k parse}, so a bad configuration fails with squid's own explanation. */
    static void checkConfig(SquidConf conf, String serviceName) {
        Path output = conf.dir().resolve("parse.out");
        try {
            Process parse = new ProcessBuilder(SQUID.toString(), "-n", serviceName, "-k", "parse", "-f",
                    conf.file().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!waitFor(parse, PARSE_TIMEOUT)) {
                parse.destroyForcibly();
                throw new IllegalStateException("squid -k parse " + conf.file() + " did not finish in "
                        + PARSE_TIMEOUT);
            }
            if (parse.exitValue() != 0) {
                // Drop the echo of every directive; what is left is squid's complaint, which cites a line number.
                List<String> complaint = Files.readAllLines(output).stream()
                        .filter(l -> !l.contains("| Processing: ") && !l.contains("| Startup: "))
                        .toList();
                throw new IllegalStateException("squid rejected its configuration " + conf.file() + " (exit "
                        + parse.exitValue() + "):\n  " + String.join("\n  ", tail(complaint)) + "\n"
                        + numbered(conf.render()));
            }
            Files.delete(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + SQUID + " -k parse", e);
        }
    }

    /**
     * Launches squid and returns once it answers a request, or empty when it exited because another process took
     * its port first (the caller retries on another port).
     */
    static Optional<SquidProcess> start(SquidConf conf, String serviceName, Optional<NetworkNamespace> namespace) {
        Process process;
        List<String> command = List.of(SQUID.toString(), "-N", "-n", serviceName, "-f", conf.file().toString());
        try {
            // `ip netns exec` execs squid in place, so the Process is still squid itself.
            process = new ProcessBuilder(namespace.map(ns -> ns.command(command)).orElse(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(conf.dir().resolve("squid.out").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SQUID, e);
        }
        var squid = new SquidProcess(process, serviceName);
        try {
            if (squid.awaitReady(conf, namespace)) {
                return Optional.of(squid);
            }
            squid.stop();
            return Optional.empty();
        } catch (RuntimeException e) {
            squid.stop();
            throw e;
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String serviceName() {
        return serviceName;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills squid and its helpers and waits until they no longer run.
     *
     * <p>SIGKILL, not SIGTERM: a graceful squid stops its event loop only shutdown_lifetime + 1 s after the signal,
     * which it notices on a 1 s tick, so 1-2 s per instance, and it buys a test nothing: the access log is
     * unbuffered, even a graceful squid exits before its auth helpers do (they exit on EOF), and the
     * shared-memory segments it would have removed are deleted here.
     */
    void stop() {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroyForcibly();
        waitFor(process, STOP_TIMEOUT);
        helpers.forEach(ProcessHandle::destroyForcibly);
        awaitGone(helpers);
        // Segments carry this instance's service name, so no other squid's are touched.
        try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
            for (Path segment : shm.filter(p -> p.getFileName().toString().startsWith(serviceName + "-")).toList()) {
                Files.deleteIfExists(segment);
            }
        } catch (IOException e) {
            log.debug("cannot clean /dev/shm of {}", serviceName, e);
        }
    }

    /**
     * Alive and not a zombie. An orphaned helper is a zombie until init reaps it, which some inits (this sandbox's
     * among them) do only every second or so, and ProcessHandle.isAlive() counts zombies as alive.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // proc(5): the state letter follows the command name in parentheses, which may itself hold ')'.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | IndexOutOfBoundsException gone) {
            return false;
        }
    }

    /**
     * Polls until squid itself answers a CONNECT probe: a listening port alone could belong to a process that
     * won the race for it. Returns false when squid exited because the port was taken.
     */
    private boolean awaitReady(SquidConf conf, Optional<NetworkNamespace> namespace) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                List<String> cacheLog = readLines(conf.cacheLog());
                if (cacheLog.stream().anyMatch(l -> l.contains("Unable to open HTTP Socket")
                        || l.contains("Address already in use"))) {
                    return false;
                }
                List<String> output = readLines(conf.dir().resolve("squid.out"));
                throw new IllegalStateException("squid exited with status " + process.exitValue()
                        + " while starting; cache.log ends:\n  " + String.join("\n  ", tail(cacheLog))
                        + "\nsquid output:\n  " + String.join("\n  ", tail(output)));
            }
            if (answersProbe(conf.host(), conf.port(), namespace)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("squid did not answer on " + conf.host() + ":" + conf.port() + " within "
                        + START_TIMEOUT + "; cache.log ends:\n  "
                        + String.join("\n  ", tail(readLines(conf.cacheLog()))));
            }
            // The poll interval; returns at once if squid exits.
            waitFor(process, Duration.ofMillis(20));
        }
    }

    private static boolean answersProbe(String host, int port, Optional<NetworkNamespace> namespace) {
        if (namespace.isPresent()) {
            try {
                return namespace.get().call(() -> answersProbe(host, port, Optional.empty()), 2_000);
            } catch (Exception e) {
                throw new IllegalStateException("cannot probe squid in " + namespace.get(), e);
            }
        }
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 250);
            // Short: a timeout only means "poll again", and a port holder that never answers must not stall us.
            socket.setSoTimeout(200);
            socket.getOutputStream().write(PROBE);
            String head = readHead(new BufferedInputStream(socket.getInputStream()));
            // Squid's own error pages carry X-Squid-Error, whatever the status.
            return head.startsWith("HTTP/1.") && head.contains("\nX-Squid-Error:");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Reads a response head up to the blank line (at most 16 KiB). */
    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < 16 * 1024 && matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Polls until the helpers no longer run: once squid is gone they are not our children, so we cannot wait. */
    private static void awaitGone(List<ProcessHandle> helpers) {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (helpers.stream().anyMatch(SquidProcess::running)) {
            if (System.nanoTime() - deadline > 0) {
                log.warn("squid helpers still running after SIGKILL: {}",
                        helpers.stream().filter(SquidProcess::running).map(ProcessHandle::pid).toList());
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits for the process; on interrupt kills it, keeps the interrupt flag and returns false. */
    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e + ")");
        }
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    private static String numbered(String text) {
        List<String> lines = text.lines().toList();
        var numbered = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            numbered.append(String.format("%4d  %s%n", i + 1, lines.get(i)));
        }
        return numbered.toString();
    }
}
