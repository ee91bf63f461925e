package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Session;
import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outpost cloud recorder add}: makes a single-use activation code for a new recorder (admins
 * and installers) and shows the command that activates it on the recorder. The recorder needs no
 * fingerprint: activation proves the cloud to it with the code itself.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Make an activation code for a new recorder, using the session of 'outpost login'.")
public final class CloudRecorderAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The new recorder's name.")
    String name;

    @Option(names = "--json", description = "Print the code, its expiry and the command as JSON.")
    boolean json;

    private final ClientEnvironment environment;

    public CloudRecorderAddCommand() {
        this(ClientEnvironment.system());
    }

    CloudRecorderAddCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            if (name.isBlank()) {
                throw ClientFailure.usage("--name must not be empty");
            }
            Session session = environment.requireSession();
            exit.about(session);
            ActivationCodeView code;
            try (OutpostClient client = OutpostClient.resume(session)) {
                code = client.createActivationCode(name.strip());
            }
            String command = "outpost recorder --cloud " + ClientText.cloud(session.cloud()) + " --activate " + code.code();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("code", code.code());
                result.put("recorderName", code.recorderName());
                result.put("expiresAt", code.expiresAt());
                result.put("command", command);
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
            } else {
                out.printf("Activation code for recorder %s: %s%n", code.recorderName(), code.code());
                out.printf("It works once, until %s.%n",
                        ClientText.when(Optional.ofNullable(code.expiresAt()), environment.clock().instant()));
                out.println("On the recorder, run:");
                out.println("  " + command);
            }
            out.flush();
            return ClientExit.OK;
        });
    }
}
