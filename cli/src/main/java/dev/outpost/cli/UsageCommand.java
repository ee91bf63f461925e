package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.client.Session;
import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code outpost usage}: the bytes a recorder sent the cloud per category, over the last 30 days and per day on
 * average, as the reference page's "Recorder Data Usage" table shows them (the recorder's {@code GET /api/usage}).
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show a recorder's data usage per category: last 30 days, average per day, today.")
public final class UsageCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("CATEGORY", "LAST 30 DAYS (MB)", "PER DAY (MB)", "TODAY (MB)");
    /** The reference page's order; categories a newer recorder adds come after. */
    static final List<String> ORDER = List.of("baseline", "config-backups", "alerts", "alert-images",
            "day-night-images", "exports");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDER", description = "The recorder's id, or its name if unique.")
    String recorder;

    @Option(names = "--json", description = "Print the recorder's answer as JSON.")
    boolean json;

    private final ClientEnvironment environment;

    public UsageCommand() {
        this(ClientEnvironment.system());
    }

    UsageCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            Session session = environment.requireSession();
            exit.about(session);
            try (OutpostClient client = OutpostClient.resume(session)) {
                RecorderView target = RecorderChoice.of(client.recorders(), recorder);
                DataUsageView usage;
                try (RelayResponse response = client.relayGet(target.id(), "/api/usage").requireSuccess()) {
                    usage = Json.read(response.body().readAllBytes(), DataUsageView.class);
                } catch (OutpostException e) {
                    return exit.refused(target.name() + ": ", e);
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(usage));
                } else {
                    LocalDate today = LocalDate.ofInstant(environment.clock().instant(), ZoneOffset.UTC);
                    out.printf("Data sent to the cloud by %s (%s), as the recorder counts it:%n", target.name(),
                            target.id());
                    out.print(table(usage, today));
                }
                out.flush();
                return ClientExit.OK;
            }
        });
    }

    /** One row per category and a total; the average is over the days of the last 30 that have counts (at least 1). */
    static String table(DataUsageView usage, LocalDate today) {
        Set<String> categories = new LinkedHashSet<>(ORDER);
        categories.addAll(usage.last30Days().keySet());
        long days = usage.days().stream().map(d -> LocalDate.parse(d.date()))
                .filter(d -> !d.isBefore(today.minusDays(29)) && !d.isAfter(today)).count();
        Map<String, Long> todays = usage.days().stream().filter(d -> d.date().equals(today.toString()))
                .findFirst().map(DataUsageView.Day::bytes).orElse(Map.of());
        List<List<String>> rows = new ArrayList<>();
        long total = 0;
        long totalToday = 0;
        for (String category : categories) {
            long sum = usage.last30Days().getOrDefault(category, 0L);
            long now = todays.getOrDefault(category, 0L);
            total += sum;
            totalToday += now;
            rows.add(List.of(category, mb(sum), mb(sum / (double) Math.max(1, days)), mb(now)));
        }
        rows.add(List.of("total", mb(total), mb(total / (double) Math.max(1, days)), mb(totalToday)));
        return ClientText.table(HEADER, rows) + String.format(Locale.ROOT, "(per day: over the %d day%s with counts"
                + " in the last 30)%n", days, days == 1 ? "" : "s");
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%.3f", bytes / 1e6);
    }
}
