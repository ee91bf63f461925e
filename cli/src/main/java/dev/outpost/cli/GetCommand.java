package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.client.Session;
import dev.outpost.wire.api.RecorderView;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code outpost get}: a GET on a recorder's own API through the cloud's relay, with the body
 * streamed to standard output or a file as it arrives (live streams never end: stop them with
 * {@code --max-bytes} or Ctrl-C).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "GET a path of a recorder's API through the cloud and stream the body out.",
        footer = {"", "Example: outpost get front-door /api/info",
                "         outpost get front-door '/api/stream?rate=100000' --max-bytes 1000000 -o sample.bin"})
public final class GetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDER", description = "The recorder's id, or its name if unique.")
    String recorder;

    @Parameters(index = "1", paramLabel = "PATH", description = "The recorder's path, with any query: /api/info")
    String path;

    @Mixin
    BodyOutput body = new BodyOutput();

    private final ClientEnvironment environment;

    public GetCommand() {
        this(ClientEnvironment.system());
    }

    GetCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            body.validate();
            Session session = environment.requireSession();
            exit.about(session);
            try (OutpostClient client = OutpostClient.resume(session)) {
                RecorderView target = RecorderChoice.of(client.recorders(), recorder);
                RelayResponse response;
                try {
                    response = client.relayGet(target.id(), path).requireSuccess();
                } catch (IllegalArgumentException e) {
                    throw ClientFailure.usage("PATH: " + e.getMessage());
                } catch (OutpostException e) {
                    return exit.refused(target.name() + ": ", e);
                }
                try (response) {
                    return copy(exit, target, response);
                }
            }
        });
    }

    private int copy(ClientExit exit, RecorderView target, RelayResponse response) throws IOException {
        BodyOutput.Copied copied = body.copy(response.body(), environment.stdout(), () -> { });
        if (copied.broken().isPresent()) {
            return exit.fail(ClientExit.UNREACHABLE, "the body from recorder " + target.name() + " broke off after "
                    + copied.bytes() + " bytes: " + copied.broken().get().getMessage());
        }
        if (body.toFile()) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("Saved %d bytes to %s.%n", copied.bytes(), body.file().orElseThrow());
            err.flush();
        }
        return ClientExit.OK;
    }
}
