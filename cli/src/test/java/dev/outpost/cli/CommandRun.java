package dev.outpost.cli;

import dev.outpost.client.SessionStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;

/** Runs a client command in-process the way a person would, and keeps what they would see. */
record CommandRun(int exitCode, String out, String err, byte[] stdout) {
    static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");

    String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** A fresh environment: sessions under {@code config}, no terminal, the clock at {@link #NOW}. */
    static Builder in(Path config) {
        return new Builder(new SessionStore(config));
    }

    static final class Builder {
        private final SessionStore sessions;
        private Map<String, String> env = Map.of();
        private byte[] stdin = new byte[0];
        private Optional<OutputStream> stdout = Optional.empty();

        private Builder(SessionStore sessions) {
            this.sessions = sessions;
        }

        Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        Builder stdin(String text) {
            this.stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Builder stdout(OutputStream stdout) {
            this.stdout = Optional.of(stdout);
            return this;
        }

        CommandRun run(Function<ClientEnvironment, Object> command, String... args) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ClientEnvironment environment = new ClientEnvironment(sessions, env, new ByteArrayInputStream(stdin),
                    stdout.orElse(bytes), Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = new CommandLine(command.apply(environment))
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(args);
            return new CommandRun(code, out.toString(), err.toString(), bytes.toByteArray());
        }
    }
}
