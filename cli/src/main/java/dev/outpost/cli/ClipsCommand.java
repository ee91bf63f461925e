package dev.outpost.cli;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Session;
import dev.outpost.wire.api.ClipShareView;
import dev.outpost.wire.api.ClipUsageView;
import dev.outpost.wire.api.ClipView;
import dev.outpost.wire.api.ExportRequest;
import dev.outpost.wire.api.ExportView;
import dev.outpost.wire.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outpost clips}: export clips from a recorder's recording and manage the cloud's clip library (docs/api.md,
 * "Clip export").
 */
@Command(name = "clips", mixinStandardHelpOptions = true,
        description = "Export clips from recordings and manage your organization's clip library.",
        subcommands = {ClipsCommand.Listing.class, ClipsCommand.Export.class, ClipsCommand.Status.class,
                ClipsCommand.Download.class, ClipsCommand.Share.class, ClipsCommand.Delete.class,
                ClipsCommand.Usage.class})
public final class ClipsCommand implements Runnable {
    static final List<String> HEADER = List.of("ID", "RECORDER", "CAMERA", "FROM", "LENGTH",
            "SIZE", "PICTURE");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code body} with a client on the saved session, printing what it returns. */
    static int withClient(CommandSpec spec, ClientEnvironment environment, Function<OutpostClient, String> body) {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            Session session = environment.requireSession();
            exit.about(session);
            String text;
            try (OutpostClient client = OutpostClient.resume(session)) {
                text = body.apply(client);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
            return ClientExit.OK;
        });
    }

    static String json(Object value) {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + System.lineSeparator();
    }

    static String table(List<ClipView> clips, Instant now) {
        List<List<String>> rows = clips.stream().map(c -> List.of(c.id(), c.recorderId(),
                c.cameraId(), ClientText.when(Optional.of(c.start()), now),
                seconds(c.durationMillis()), size(c.bytes()), c.width() + "x" + c.height())).toList();
        return ClientText.table(HEADER, rows);
    }

    static String seconds(long millis) {
        long s = Math.round(millis / 1000.0);
        return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }

    static String size(long bytes) {
        return bytes >= 1024 * 1024 ? String.format("%.1f MB", bytes / 1e6) : String.format("%.0f kB", bytes / 1e3);
    }

    /** {@code outpost clips list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List clips in the library, newest first.")
    static final class Listing implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--recorder", paramLabel = "ID", description = "Only this recorder's clips.")
        String recorder;
        @Option(names = "--camera", paramLabel = "ID", description = "Only this camera's clips.")
        String camera;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (1 to 500).")
        int limit;
        @Option(names = "--json", description = "Print the clips as a JSON array.")
        boolean json;
        private final ClientEnvironment environment;

        Listing() {
            this(ClientEnvironment.system());
        }

        Listing(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return withClient(spec, environment, client -> {
                List<ClipView> clips = client.clips(Optional.ofNullable(recorder), Optional.ofNullable(camera),
                        limit);
                return json ? json(clips) : clips.isEmpty() ? "No clips." + System.lineSeparator()
                        : table(clips, environment.clock().instant());
            });
        }
    }

    /** {@code outpost clips export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Ask a recorder for a clip of a camera: one or more time ranges, at most 20 minutes in all.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "RECORDER", description = "The recorder's id.")
        String recorder;
        @Parameters(index = "1", paramLabel = "CAMERA", description = "The camera's id.")
        String camera;
        @Option(names = "--range", required = true, paramLabel = "START/END",
                description = "A time range: two ISO-8601 instants, or a start and a length"
                        + " (2026-11-23T10:00:00Z/PT5M). Repeat for several.")
        List<String> ranges;
        @Option(names = "--4mp", description = "At most 4 megapixels instead of 2.")
        boolean fourMp;
        @Option(names = "--json", description = "Print the export as JSON.")
        boolean json;
        private final ClientEnvironment environment;

        Export() {
            this(ClientEnvironment.system());
        }

        Export(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            List<ExportRequest.Range> parsed = new ArrayList<>();
            for (String range : ranges) {
                parsed.add(parseRange(spec, range));
            }
            ExportRequest request = new ExportRequest(camera, parsed, fourMp ? ExportRequest.FOUR_MP
                    : ExportRequest.TWO_MP);
            return withClient(spec, environment, client -> {
                ExportView view = client.exportClip(recorder, request);
                return json ? json(view) : "Export " + view.id() + " " + view.state() + ": follow it with 'outpost clips"
                        + " status " + recorder + " " + view.id() + "'; the clip then shows in 'outpost clips list'."
                        + System.lineSeparator();
            });
        }
    }

    static ExportRequest.Range parseRange(CommandSpec spec, String text) {
        String[] halves = text.split("/", 2);
        try {
            if (halves.length == 2) {
                Instant start = Instant.parse(halves[0].strip());
                String end = halves[1].strip();
                return new ExportRequest.Range(start, end.startsWith("P") ? start.plus(Duration.parse(end))
                        : Instant.parse(end));
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new ParameterException(spec.commandLine(), "--range: '" + text + "' is not START/END or START/LENGTH,"
                + " such as 2026-11-23T10:00:00Z/2026-11-23T10:05:00Z or 2026-11-23T10:00:00Z/PT5M");
    }

    /** {@code outpost clips status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "How an export stands.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "RECORDER")
        String recorder;
        @Parameters(index = "1", paramLabel = "EXPORT")
        String export;
        private final ClientEnvironment environment;

        Status() {
            this(ClientEnvironment.system());
        }

        Status(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return withClient(spec, environment, client -> {
                ExportView view = client.exportStatus(recorder, export);
                return view.state() + (view.state().equals(ExportView.ENCODING)
                        || view.state().equals(ExportView.UPLOADING) ? " " + view.percent() + "%" : "")
                        + (view.message().isEmpty() ? "" : ": " + view.message()) + System.lineSeparator();
            });
        }
    }

    /** {@code outpost clips download}. */
    @Command(name = "download", mixinStandardHelpOptions = true, description = "Save a clip's MP4.")
    static final class Download implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "CLIP")
        String clip;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to save it. Default: CLIP.mp4.")
        Path output;
        private final ClientEnvironment environment;

        Download() {
            this(ClientEnvironment.system());
        }

        Download(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            Path file = output == null ? Path.of(clip + ".mp4") : output;
            return withClient(spec, environment, client -> "Saved " + size(client.downloadClip(clip, file)) + " to "
                    + file + System.lineSeparator());
        }
    }

    /** {@code outpost clips share}. */
    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Make a link that plays a clip without logging in, until it expires.")
    static final class Share implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "CLIP")
        String clip;
        @Option(names = "--minutes", defaultValue = "1440", description = "How long the link works (1 to 10080).")
        int minutes;
        private final ClientEnvironment environment;

        Share() {
            this(ClientEnvironment.system());
        }

        Share(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return withClient(spec, environment, client -> {
                ClipShareView share = client.shareClip(clip, minutes);
                return client.cloud().resolve(share.url()) + " (until " + share.expiresAt() + ")"
                        + System.lineSeparator();
            });
        }
    }

    /** {@code outpost clips delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a clip and its share links.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "CLIP")
        String clip;
        private final ClientEnvironment environment;

        Delete() {
            this(ClientEnvironment.system());
        }

        Delete(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return withClient(spec, environment, client -> {
                client.deleteClip(clip);
                return "Deleted clip " + clip + "." + System.lineSeparator();
            });
        }
    }

    /** {@code outpost clips usage}. */
    @Command(name = "usage", mixinStandardHelpOptions = true, description = "Storage your organization's clips take.")
    static final class Usage implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        private final ClientEnvironment environment;

        Usage() {
            this(ClientEnvironment.system());
        }

        Usage(ClientEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return withClient(spec, environment, client -> {
                ClipUsageView usage = client.clipUsage();
                return usage.clips() + " clips, " + size(usage.bytes()) + System.lineSeparator();
            });
        }
    }
}
