package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Session;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code outpost alerts}: the health alerts of your organization's recorders, newest first. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "List the health alerts of your organization's recorders, newest first.")
public final class AlertsCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("WHEN", "RECORDER", "CAMERA", "ALERT", "MESSAGE");

    @Spec
    CommandSpec spec;

    @Option(names = "--recorder", paramLabel = "ID", description = "Only this recorder's alerts.")
    String recorder;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only alerts since this time: an ISO-8601 instant (2026-11-23T10:00:00Z) or an age (30m, 24h, 7d).")
    String since;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (1 to 1000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--json", description = "Print the alerts as a JSON array.")
    boolean json;

    private final ClientEnvironment environment;

    public AlertsCommand() {
        this(ClientEnvironment.system());
    }

    AlertsCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Instant now = environment.clock().instant();
        Optional<Instant> from = Optional.ofNullable(since).map(text -> parseSince(text, now));
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            Session session = environment.requireSession();
            exit.about(session);
            List<AlertView> alerts;
            try (OutpostClient client = OutpostClient.resume(session)) {
                alerts = client.alerts(Optional.ofNullable(recorder), from, limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(alerts));
            } else if (alerts.isEmpty()) {
                out.println("No alerts.");
            } else {
                out.print(table(alerts, now));
            }
            out.flush();
            return ClientExit.OK;
        });
    }

    private Instant parseSince(String text, Instant now) {
        String trimmed = text.strip();
        if (trimmed.matches("\\d{1,6}[mhd]")) {
            long n = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
            Duration age = switch (trimmed.charAt(trimmed.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(age);
        }
        try {
            return Instant.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--since: '" + trimmed
                    + "' is neither an ISO-8601 instant (2026-11-23T10:00:00Z) nor an age (30m, 24h, 7d)");
        }
    }

    static String table(List<AlertView> alerts, Instant now) {
        List<List<String>> rows = alerts.stream()
                .map(a -> List.of(ClientText.when(Optional.of(a.at()), now), a.recorderName(),
                        a.cameraId().isEmpty() ? "-" : a.cameraId(), a.type(),
                        a.message() + (a.imageUrl().isEmpty() ? "" : " [image]")))
                .toList();
        return ClientText.table(HEADER, rows);
    }
}
