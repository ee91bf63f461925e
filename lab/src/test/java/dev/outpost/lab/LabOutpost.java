package dev.outpost.lab;

import static org.awaitility.Awaitility.await;

import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outpost deployed in a {@link NetworkLab}: the cloud on the lab's cloud host, recorders and viewers on site hosts,
 * each a real {@code outpost} process in its namespace. Viewers are the command-line client with a session of their
 * own. Everything it starts, it stops.
 */
final class LabOutpost implements AutoCloseable {
    static final String ADMIN = "admin@lab.test";
    static final String PASSWORD = "lab admin password";
    /** The cloud's name; no resolver in the lab knows it, only the proxy's hosts file. */
    static final String CLOUD_NAME = "cloud.lab.test";
    static final int CLOUD_PORT = 8443;
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a first run to make the sample clips (FFmpeg, cached afterwards). */
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    private static final Pattern FINGERPRINT = Pattern.compile("self-signed certificate, SHA-256 fingerprint (\\S+)");
    private static final Pattern RECORDER_UP = Pattern.compile("Outpost recorder (\\S+) \\(.*\\) is up");

    private final NetworkLab lab;
    private final List<LabJvm> processes = new ArrayList<>();
    private final LabJvm cloud;
    private final String fingerprint;

    private LabOutpost(NetworkLab lab) {
        this.lab = lab;
        this.cloud = start(lab.cloud(), "cloud", Map.of("OUTPOST_ADMIN_PASSWORD", PASSWORD),
                "cloud", "--data", lab.dir().resolve("cloud").toString(), "--bind", lab.cloud().address(),
                "--port", Integer.toString(CLOUD_PORT), "--name", CLOUD_NAME + "," + lab.cloud().address(),
                "--admin-email", ADMIN);
        this.fingerprint = cloud.await(FINGERPRINT, START_TIMEOUT).group(1);
    }

    /** Starts the cloud; returns once it serves. */
    static LabOutpost start(NetworkLab lab) {
        return new LabOutpost(lab);
    }

    NetworkLab lab() {
        return lab;
    }

    /** The cloud by its address, as viewers reach it. */
    URI cloudUrl() {
        return URI.create("https://" + lab.cloud().address() + ":" + CLOUD_PORT);
    }

    /** The cloud by a name only a proxy can resolve. */
    URI cloudUrlByName() {
        return URI.create("https://" + CLOUD_NAME + ":" + CLOUD_PORT);
    }

    LabJvm cloudProcess() {
        return cloud;
    }

    /** A command-line user on {@code host}, logged in as the admin. */
    Viewer viewer(LabHost host) {
        Viewer viewer = new Viewer(host, lab.dir().resolve("viewer-" + host.role()));
        viewer.cli("login", "--cloud", cloudUrl().toString(), "--email", ADMIN, "--trust-fingerprint", fingerprint)
                .requireSuccess();
        return viewer;
    }

    /**
     * Starts a recorder on {@code host}, activated with a fresh code against {@code cloudUrl}, with {@code args}
     * added; returns once it is up (activated), not necessarily linked.
     */
    Recorder recorder(LabHost host, Viewer admin, String name, URI cloudUrl, String... args) {
        String code = admin.activationCode(name);
        List<String> command = new ArrayList<>(List.of("recorder", "--data",
                lab.dir().resolve("recorder-" + name.replaceAll("\\W", "_")).toString(),
                "--cloud", cloudUrl.toString(), "--activate", code));
        command.addAll(List.of(args));
        LabJvm process = start(host, "recorder " + name, Map.of(), command.toArray(String[]::new));
        Matcher up = process.await(RECORDER_UP, START_TIMEOUT);
        return new Recorder(up.group(1), name, process);
    }

    private LabJvm start(LabHost host, String label, Map<String, String> env, String... args) {
        LabJvm jvm = LabJvm.start(host, label, lab.dir().resolve("logs").resolve(label.replace(' ', '-') + ".log"),
                env, List.of(args));
        processes.add(jvm);
        return jvm;
    }

    @Override
    public void close() {
        processes.reversed().forEach(LabJvm::close);
    }

    /** A recorder process in the lab. */
    record Recorder(String id, String name, LabJvm process) {
    }

    /** The command-line client on one lab host, with its own session. */
    final class Viewer {
        private final LabHost host;
        private final Path configDir;

        private Viewer(LabHost host, Path configDir) {
            this.host = host;
            this.configDir = configDir;
        }

        LabHost host() {
            return host;
        }

        LabJvm.Finished cli(String... args) {
            return LabJvm.run(host, configDir, Map.of("OUTPOST_CONFIG_DIR", configDir.toString(),
                    "OUTPOST_PASSWORD", PASSWORD), CLI_TIMEOUT, List.of(args));
        }

        String activationCode(String recorderName) {
            String json = cli("cloud", "recorder", "add", "--name", recorderName, "--json").requireSuccess().stdout();
            return Json.mapper().readTree(json).get("code").asString();
        }

        RecorderView recorder(String id) {
            String json = cli("recorders", "--json").requireSuccess().stdout();
            for (RecorderView view : Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    RecorderView[].class)) {
                if (view.id().equals(id)) {
                    return view;
                }
            }
            throw new AssertionError("recorder " + id + " is not listed:\n" + json);
        }

        /** Waits until the cloud lists the recorder online. */
        RecorderView awaitOnline(Recorder recorder) {
            await(recorder.name() + " online").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> recorder(recorder.id()).online());
            return recorder(recorder.id());
        }

        /** {@code outpost connect RECORDER --get PATH -o FILE --max-bytes N [MORE]}, to its end. */
        LabJvm.Finished connect(Recorder recorder, String path, Path file, long maxBytes, String... more) {
            List<String> args = new java.util.ArrayList<>(List.of("connect", recorder.id(), "--get", path, "-o",
                    file.toString(), "--max-bytes", Long.toString(maxBytes)));
            args.addAll(List.of(more));
            return cli(args.toArray(String[]::new));
        }

        /** The same, running: its output (the paths it takes) is read while it streams. */
        LabJvm startConnect(Recorder recorder, String path, Path file, long maxBytes, String... more) {
            List<String> args = new java.util.ArrayList<>(List.of("connect", recorder.id(), "--get", path, "-o",
                    file.toString(), "--max-bytes", Long.toString(maxBytes)));
            args.addAll(List.of(more));
            return LabJvm.start(host, "connect", configDir.resolve("connect.log"), Map.of("OUTPOST_CONFIG_DIR",
                    configDir.toString()), args);
        }

        /** {@code outpost get RECORDER PATH -o FILE --max-bytes N}. */
        LabJvm.Finished get(Recorder recorder, String path, Path file, long maxBytes) {
            return cli("get", recorder.id(), path, "-o", file.toString(), "--max-bytes", Long.toString(maxBytes));
        }
    }
}
