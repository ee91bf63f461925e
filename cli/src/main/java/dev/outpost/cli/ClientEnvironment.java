package dev.outpost.cli;

import dev.outpost.client.Session;
import dev.outpost.client.SessionStore;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the client commands read and write besides picocli's text streams: the saved session, the
 * environment, standard input, standard output as bytes (for bodies), the terminal if there is one,
 * and the clock. Tests build their own; the {@code outpost} executable uses {@link #system()}.
 */
record ClientEnvironment(SessionStore sessions, Map<String, String> env, InputStream stdin, OutputStream stdout,
                         Optional<Console> terminal, Clock clock) {

    static ClientEnvironment system() {
        return new ClientEnvironment(SessionStore.standard(), System.getenv(), System.in,
                // unbuffered and unwrapped: bodies go out as they arrive, and a closed pipe is reported
                new FileOutputStream(FileDescriptor.out),
                Optional.ofNullable(System.console()).filter(Console::isTerminal),
                Clock.systemUTC());
    }

    /** The saved login, or a usage error that says how to log in. */
    Session requireSession() {
        return sessions.load().orElseThrow(() -> ClientFailure.usage(
                "not logged in: run 'outpost login --cloud URL' first"));
    }
}
