package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Session;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outpost recorders}: the recorders of your organization, whether they are online, and how. */
@Command(name = "recorders", mixinStandardHelpOptions = true,
        description = "List the recorders of your organization.")
public final class RecordersCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("ID", "NAME", "STATE", "SINCE", "ADDRESS", "TRANSPORT", "PROXY");

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the recorders as a JSON array.")
    boolean json;

    private final ClientEnvironment environment;

    public RecordersCommand() {
        this(ClientEnvironment.system());
    }

    RecordersCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            Session session = environment.requireSession();
            exit.about(session);
            List<RecorderView> recorders;
            try (OutpostClient client = OutpostClient.resume(session)) {
                recorders = client.recorders();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(recorders));
            } else if (recorders.isEmpty()) {
                out.println("No recorders yet. Add one with: outpost cloud recorder add --name NAME");
            } else {
                out.print(table(recorders, environment.clock().instant()));
            }
            out.flush();
            return ClientExit.OK;
        });
    }

    static String table(List<RecorderView> recorders, Instant now) {
        List<List<String>> rows = recorders.stream()
                .sorted(Comparator.comparing(RecorderView::name, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)))
                .map(r -> List.of(
                        text(r.id()),
                        text(r.name()),
                        r.revoked() ? "revoked" : r.online() ? "online" : "offline",
                        ClientText.when(Optional.ofNullable(r.since()), now),
                        text(r.publicAddress()),
                        text(r.transport()),
                        r.viaProxy() ? "yes" : "no"))
                .toList();
        return ClientText.table(HEADER, rows);
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
