package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RecorderConnection;
import dev.outpost.client.RecorderPath;
import dev.outpost.client.Session;
import dev.outpost.wire.api.RecorderView;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code outpost connect}: reaches a recorder by the best path that works (LAN, Direct Connect, relay: raced
 * best-first, docs/paths.md), says which, and optionally streams a GET over it, switching paths when one dies and
 * upgrading from the relay to peer-to-peer when the recorder offers it and ICE finds a way (docs/p2p.md).
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Reach a recorder by the best path that works and say which; optionally stream a GET over it.",
        footer = {"", "Example: outpost connect front-door",
                "         outpost connect front-door --get '/api/cameras/sample-1/live.mp4?stream=sd' -o live.mp4 --max-bytes 2000000"})
public final class ConnectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDER", description = "The recorder's id, or its name if unique.")
    String recorder;

    @Option(names = "--get", paramLabel = "PATH", description = "Then GET this path of the recorder's API over the path, "
            + "streaming the body (to standard output, or --output), moving to another path if this one dies.")
    Optional<String> get = Optional.empty();

    @Mixin
    BodyOutput body = new BodyOutput();

    @Option(names = "--no-p2p", description = "Stay on the path that won the race: do not upgrade to peer-to-peer.")
    boolean noP2p;

    @Option(names = "--stall-ms", paramLabel = "MS", defaultValue = "1000",
            description = "A stream silent this long has lost its path: race the paths again. Default: ${DEFAULT-VALUE}.")
    long stallMillis;

    private final ClientEnvironment environment;

    public ConnectCommand() {
        this(ClientEnvironment.system());
    }

    ConnectCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            body.validate();
            if (stallMillis < 100 || stallMillis > 60_000) {
                throw ClientFailure.usage("--stall-ms must be 100 to 60000, not " + stallMillis);
            }
            Session session = environment.requireSession();
            exit.about(session);
            // Path reports go to standard output, unless the body does.
            PrintWriter report = get.isPresent() && !body.toFile() ? spec.commandLine().getErr()
                    : spec.commandLine().getOut();
            try (OutpostClient client = OutpostClient.resume(session)) {
                RecorderView target = RecorderChoice.of(client.recorders(), recorder);
                RecorderConnection connection;
                try {
                    connection = RecorderConnection.open(client, target.id());
                } catch (OutpostException e) {
                    return exit.refused(target.name() + ": ", e);
                } catch (IllegalStateException e) {
                    return exit.fail(ClientExit.UNREACHABLE, e.getMessage());
                }
                try (connection) {
                    if (noP2p) {
                        connection.disableP2p();
                    }
                    RecorderPath path = connection.path();
                    report.printf("Connected to %s by %s: %s in %d ms%n", target.name(), path.kind(), path.url(),
                            path.connectTime().toMillis());
                    connection.lastRace().forEach(line -> report.println("  " + line));
                    report.flush();
                    if (get.isEmpty()) {
                        return ClientExit.OK;
                    }
                    return stream(exit, connection, report);
                }
            }
        });
    }

    private int stream(ClientExit exit, RecorderConnection connection, PrintWriter report) throws Exception {
        long asked = System.nanoTime();
        BodyOutput.Copied copied;
        try (InputStream in = connection.openLive(get.get(), Duration.ofMillis(stallMillis), path -> {
            report.printf("Switched to %s: %s in %d ms%n", path.kind(), path.url(), path.connectTime().toMillis());
            report.flush();
        })) {
            copied = body.copy(in, environment.stdout(), () -> {
                report.printf("First bytes after %d ms by %s.%n", (System.nanoTime() - asked) / 1_000_000,
                        connection.path().kind());
                report.flush();
            });
        }
        connection.p2pOutcome().ifPresent(outcome -> {
            report.println(outcome.substring(0, 1).toUpperCase() + outcome.substring(1) + ".");
            report.flush();
        });
        if (copied.broken().isPresent()) {
            return exit.fail(ClientExit.UNREACHABLE, "the stream broke off after " + copied.bytes() + " bytes: "
                    + copied.broken().get().getMessage());
        }
        if (body.toFile()) {
            report.printf("Saved %d bytes to %s by %s.%n", copied.bytes(), body.file().orElseThrow(),
                    connection.path().kind());
            report.flush();
        }
        return ClientExit.OK;
    }
}
