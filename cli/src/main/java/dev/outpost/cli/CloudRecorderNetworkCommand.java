package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.Session;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code outpost cloud recorder network}: shows a recorder's Remote Network Settings, and changes those given
 * (admins and installers; docs/paths.md).
 */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Show a recorder's Remote Network Settings; change the ones given.",
        footer = {"", "Example: outpost cloud recorder network Shop --direct https://shop.example.com:8443",
                "         outpost cloud recorder network Shop --same-site 198.51.100.0/24 --lan-forwarding on"})
public final class CloudRecorderNetworkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDER", description = "The recorder's id, or its name if unique.")
    String recorder;

    @Option(names = "--lan-forwarding", paramLabel = "on|off", description = "LAN Smart Forwarding.")
    Optional<String> lanForwarding = Optional.empty();

    @Option(names = "--same-site", split = ",", paramLabel = "CIDR",
            description = "Public address ranges that count as the recorder's site (replaces the list; '' for none).")
    List<String> sameSite; // null when not given

    @Option(names = "--direct", paramLabel = "URL", description = "Direct Connect: https://HOST:PORT or http://HOST:PORT.")
    Optional<String> direct = Optional.empty();

    @Option(names = "--no-direct", description = "No Direct Connect.")
    boolean noDirect;

    @Option(names = "--json", description = "Print the settings as JSON.")
    boolean json;

    private final ClientEnvironment environment;

    public CloudRecorderNetworkCommand() {
        this(ClientEnvironment.system());
    }

    CloudRecorderNetworkCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            if (direct.isPresent() && noDirect) {
                throw ClientFailure.usage("--direct and --no-direct contradict each other");
            }
            Session session = environment.requireSession();
            exit.about(session);
            try (OutpostClient client = OutpostClient.resume(session)) {
                RecorderView target = RecorderChoice.of(client.recorders(), recorder);
                try {
                    RemoteNetworkSettings settings = client.networkSettings(target.id());
                    if (lanForwarding.isPresent() || sameSite != null || direct.isPresent() || noDirect) {
                        settings = client.saveNetworkSettings(target.id(), changed(settings));
                    }
                    print(target, settings);
                    return ClientExit.OK;
                } catch (OutpostException e) {
                    return exit.refused(target.name() + ": ", e);
                }
            }
        });
    }

    private RemoteNetworkSettings changed(RemoteNetworkSettings settings) {
        boolean lan = lanForwarding.map(CloudRecorderNetworkCommand::onOff).orElse(settings.lanForwarding());
        List<String> ranges = sameSite == null ? settings.sameSiteRanges()
                : sameSite.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        Optional<DirectConnect> directConnect = noDirect ? Optional.empty()
                : direct.map(CloudRecorderNetworkCommand::directConnect).or(settings::directConnect);
        return new RemoteNetworkSettings(lan, ranges, directConnect);
    }

    private static boolean onOff(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw ClientFailure.usage("--lan-forwarding takes on or off, not " + value);
        };
    }

    private static DirectConnect directConnect(String text) {
        URI url;
        try {
            url = URI.create(text.contains("://") ? text : "https://" + text);
        } catch (IllegalArgumentException e) {
            throw ClientFailure.usage("--direct: not a URL: " + text);
        }
        if (url.getHost() == null) {
            throw ClientFailure.usage("--direct: no host in " + text + " (write https://HOST:PORT)");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() > 0 ? url.getPort() : scheme.equals("http") ? 80 : 443;
        return new DirectConnect(url.getHost(), port, scheme);
    }

    private void print(RecorderView target, RemoteNetworkSettings settings) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(settings));
        } else {
            out.printf("Remote Network Settings of %s:%n", target.name());
            out.printf("  LAN Smart Forwarding: %s%n", settings.lanForwarding() ? "on" : "off");
            out.printf("  same-site ranges:     %s%n", settings.sameSiteRanges().isEmpty() ? "(none)"
                    : String.join(", ", settings.sameSiteRanges()));
            out.printf("  Direct Connect:       %s%n", settings.directConnect()
                    .map(d -> d.scheme() + "://" + (d.host().contains(":") ? "[" + d.host() + "]" : d.host()) + ":" + d.port())
                    .orElse("(none)"));
        }
        out.flush();
    }
}
