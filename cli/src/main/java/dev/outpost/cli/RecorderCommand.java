package dev.outpost.cli;

import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.outpost.recorder.cameras.CameraConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outpost recorder}: runs the recorder agent; activates it first when given a code. */
@Command(name = "recorder", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an Outpost recorder: its local API and its link to the cloud.")
public final class RecorderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (keys are these option names).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "outpost-data/recorder",
            description = "Data directory: identity, recordings, cameras changed at runtime. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--cloud", paramLabel = "URL", description = "The cloud's URL, to activate (https://HOST:PORT).")
    URI cloud;

    @Option(names = "--activate", paramLabel = "CODE", description = "Activate with this code from the cloud, once.")
    String activationCode;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "HTTP CONNECT proxy to reach the cloud: http://[user:password@]host:port. Default: https_proxy.")
    String proxy;

    @Option(names = "--cloud-ca", paramLabel = "PEM", description = "CA certificates to trust for the cloud (TLS-inspecting proxies).")
    Path cloudCa;

    @Option(names = "--local-bind", defaultValue = LocalHttpConfig.AUTO_BIND,
            description = "Address of the local API (LAN and Direct Connect viewers): auto is every address once the "
                    + "recorder has its certificate from the cloud (HTTPS), else this machine only. Default: ${DEFAULT-VALUE}.")
    String localBind;

    @Option(names = "--local-port", defaultValue = "7443", description = "Port of the local API. Default: ${DEFAULT-VALUE}.")
    int localPort;

    @Option(names = "--local-plain-http", description = "Serve the local API as plain HTTP, on the LAN too (HTTPS otherwise).")
    boolean localPlainHttp;

    @Option(names = "--link-transport", paramLabel = "auto|h2|websocket", defaultValue = "auto",
            description = "Link transport to try first: h2 (ALPN), websocket (for sites whose middleboxes need it), "
                    + "or auto (h2, falling back to websocket). Default: ${DEFAULT-VALUE}.")
    String linkTransport;

    @Option(names = "--camera", paramLabel = "ID,NAME,MAIN_URL,SUB_URL",
            description = "A camera to pull: its id, name, and the rtsp:// URLs of its main (HD) and sub (SD) streams "
                    + "(credentials in the URL: rtsp://user:password@host/path). Repeat for each camera. "
                    + "The config file's cameras: list is the fuller way (docs/configuration.md).")
    List<String> cameras = List.of();

    @Option(names = "--recording-max-gb", defaultValue = "50", paramLabel = "GB",
            description = "Recorded video to keep, in GiB, across all cameras; the oldest goes first. Default: ${DEFAULT-VALUE}.")
    long recordingMaxGb;

    @Option(names = "--recording-max-days", defaultValue = "30", paramLabel = "DAYS",
            description = "Days of recorded video to keep. Default: ${DEFAULT-VALUE}.")
    long recordingMaxDays;

    @Option(names = "--sample-cameras", defaultValue = "0", paramLabel = "N",
            description = "Sample cameras to serve besides the real ones (sample-1 to sample-N, 0 to 16): generated "
                    + "video, made with FFmpeg on first use and cached. Default: ${DEFAULT-VALUE}.")
    int sampleCameras;

    @Mixin
    HealthOptions health = new HealthOptions();

    static CameraConfig camera(String spec) {
        String[] parts = spec.split(",", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("--camera takes four comma-separated parts ID,NAME,MAIN_URL,SUB_URL; this has "
                    + parts.length);
        }
        return new CameraConfig(parts[0].strip(), parts[1].strip(), URI.create(parts[2].strip()), URI.create(parts[3].strip()));
    }

    /**
     * The configuration file's {@code cameras:} and the {@code --camera} flags; a flag's camera replaces the file's
     * camera of the same id, as flags win over the file.
     */
    List<CameraConfig> configuredCameras() {
        java.util.Map<String, CameraConfig> byId = new java.util.LinkedHashMap<>();
        try {
            if (spec != null && spec.commandLine().getDefaultValueProvider() instanceof ConfigDefaults defaults) {
                defaults.fileSetting("cameras").ifPresent(yaml -> ConfigFileCameras.parse(yaml, defaults.fileName())
                        .forEach(c -> byId.put(c.id(), c)));
            }
            for (String flag : cameras) {
                CameraConfig camera = camera(flag);
                byId.put(camera.id(), camera);
            }
        } catch (IllegalArgumentException e) {
            if (spec == null) {
                throw e;
            }
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return List.copyOf(byId.values());
    }

    private dev.outpost.recorder.health.HealthSettings healthSettings() {
        try {
            return health.settings();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec == null ? new picocli.CommandLine(this)
                    : spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The configuration {@code outpost recorder ARGS} would run with (flags, then {@code OUTPOST_*} variables of
     * {@code environment}, then the {@code --config} file), without starting it.
     *
     * @throws picocli.CommandLine.ParameterException naming the setting that is wrong
     */
    public static RecorderConfig configOf(java.util.Map<String, String> environment, String... args) {
        picocli.CommandLine line = new picocli.CommandLine(new RecorderCommand());
        line.setDefaultValueProvider(new ConfigDefaults(environment, ConfigDefaults.configFile(args, environment)));
        line.parseArgs(args);
        return ((RecorderCommand) line.getCommand()).toConfig();
    }

    RecorderConfig toConfig() {
        RecorderConfig config = RecorderConfig.defaults(data)
                .withProxy(Optional.ofNullable(proxy))
                .withCloudCaFile(Optional.ofNullable(cloudCa))
                .withLocal(LocalHttpConfig.defaults().withBindAddress(localBind).withPort(localPort)
                        .withPlainHttp(localPlainHttp))
                .withCameras(configuredCameras())
                .withSampleCameras(sampleCameras)
                .withRecordingLimits(new dev.outpost.recorder.recording.Retention.Limits(recordingMaxGb << 30,
                        java.time.Duration.ofDays(recordingMaxDays)))
                .withLinkTransport(linkTransport.equals("auto") ? Optional.empty()
                        : Optional.of(dev.outpost.wire.link.LinkTransport.fromLabel(linkTransport)))
                .withHealth(healthSettings());
        if (activationCode != null) {
            if (cloud == null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--activate needs --cloud URL (the cloud that made the code)");
            }
            config = config.withActivation(cloud, activationCode);
        }
        return config;
    }

    @Override
    public Integer call() throws Exception {
        Recorder recorder = Recorder.start(toConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            recorder.close();
            stopped.countDown();
        }, "recorder-shutdown"));
        System.out.println("Outpost recorder " + recorder.identity().recorderId() + " (" + recorder.identity().name()
                + ") is up: local API on port " + recorder.localPort() + ", cloud " + recorder.identity().cloudUrl());
        stopped.await();
        return 0;
    }
}
