package dev.outpost.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real SMTP server for tests, in its own process: Debian's python3-aiosmtpd (GreenMail, which tests SMTPS, has no
 * STARTTLS). In {@link Mode#STARTTLS} it offers STARTTLS (RFC 3207) with a self-signed certificate for
 * {@code 127.0.0.1}, refuses MAIL before it, and wants AUTH (PLAIN or LOGIN, RFC 4954) with one account; in
 * {@link Mode#PLAIN} it offers neither. Each accepted message is kept with whether it came over TLS and who logged in.
 */
public final class SmtpServer implements AutoCloseable {
    /** What the server offers. */
    public enum Mode {
        STARTTLS,
        PLAIN
    }

    /**
     * One accepted message.
     *
     * @param content the message as received (RFC 5322)
     * @param meta    JSON: {@code from}, {@code to} (envelope), {@code tls} (whether it came over TLS), {@code login}
     */
    public record Received(byte[] content, String meta) {
    }

    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long START_SECONDS = 20;

    private final Process process;
    private final int port;
    private final Path maildir;

    private SmtpServer(Process process, int port, Path maildir) {
        this.process = process;
        this.port = port;
        this.maildir = maildir;
    }

    /** Starts a server keeping its files (script, certificate, messages) under {@code dir}. */
    public static SmtpServer start(Path dir, Mode mode, String user, String password) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("smtp_server.py");
        try (InputStream in = SmtpServer.class.getResourceAsStream("smtp_server.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path maildir = Files.createDirectories(dir.resolve("mail"));
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", script.toString(), maildir.toString(),
                mode.name().toLowerCase(java.util.Locale.ROOT)));
        if (mode == Mode.STARTTLS) {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
                    "-keyout", key.toString(), "-out", cert.toString()));
            command.addAll(List.of(cert.toString(), key.toString(), user, password));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> readyPort(out));
        try {
            return new SmtpServer(process, ready.get(START_SECONDS, TimeUnit.SECONDS), maildir);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the SMTP server did not start (is python3-aiosmtpd installed?): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        }
    }

    private static int readyPort(BufferedReader out) {
        List<String> lines = new ArrayList<>();
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY ")) {
                    Thread.ofVirtual().start(() -> drain(out));
                    return Integer.parseInt(line.substring("READY ".length()).strip());
                }
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("it exited:\n  " + String.join("\n  ", lines));
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // aiosmtpd's log lines: read so the pipe never fills.
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    public int port() {
        return port;
    }

    /** The messages accepted so far, oldest first. */
    public List<Received> messages() throws IOException {
        List<Received> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir)) {
            List<Path> emails = files.filter(f -> f.getFileName().toString().endsWith(".eml"))
                    .sorted(java.util.Comparator.comparingInt(SmtpServer::number)).toList();
            for (Path eml : emails) {
                Path meta = eml.resolveSibling(number(eml) + ".json");
                out.add(new Received(Files.readAllBytes(eml), Files.readString(meta)));
            }
        }
        return out;
    }

    private static int number(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    /** Closes the script's standard input, which ends it, and waits; kills it if it does not end. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
