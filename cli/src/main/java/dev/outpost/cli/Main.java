package dev.outpost.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code outpost} executable: every role of Outpost as a subcommand. */
@Command(name = "outpost", mixinStandardHelpOptions = true, version = "outpost 0.1.0",
        description = "Reach video recorders from anywhere, without port forwarding.",
        subcommands = {
                CloudCommand.class,
                RecorderCommand.class,
                DemoCommand.class,
                LoginCommand.class,
                LogoutCommand.class,
                RecordersCommand.class,
                AlertsCommand.class,
                ClipsCommand.class,
                UsageCommand.class,
                GetCommand.class,
                ConnectCommand.class,
                NatCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Activation through a proxy with Basic auth uses the JDK HTTP client, which refuses Basic for
        // CONNECT tunnels unless this is cleared; it must be set before that client loads.
        System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        CommandLine line = commandLine();
        line.setDefaultValueProvider(new ConfigDefaults(System.getenv(), ConfigDefaults.configFile(args, System.getenv())));
        System.exit(line.execute(args));
    }

    /** The configured command line, for tests that run subcommands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
