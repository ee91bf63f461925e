package dev.outpost.cli;

import dev.outpost.cloud.CloudConfig;
import dev.outpost.cloud.CloudServer;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.samples.SampleCamera;
import dev.outpost.wire.api.NewActivationCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outpost demo}: a cloud and an activated recorder on this machine, on the embedded defaults,
 * and what to open. State is kept in {@code --data}, so a second run comes back with the same
 * recorder and login.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a cloud and an activated recorder on this machine, and print the URL and login.")
public final class DemoCommand implements Callable<Integer> {
    static final String ADMIN_EMAIL = "admin@outpost.local";
    static final String RECORDER_NAME = "Demo recorder";
    /** Sample cameras the demo's recorder plays: sample-1 to sample-4. */
    static final int SAMPLE_CAMERAS = 4;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "outpost-data/demo",
            description = "Where the demo keeps its cloud and recorder. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--port", defaultValue = "8443", description = "The cloud's port; another free one if taken. Default: ${DEFAULT-VALUE}.")
    int port;

    @Override
    public Integer call() throws Exception {
        Path cloudData = data.resolve("cloud");
        Path recorderData = data.resolve("recorder");
        String password = demoPassword(data);
        CloudConfig config = CloudConfig.defaults(cloudData)
                .withBindAddress("127.0.0.1")
                .withPort(portOrFree(port))
                .withAdmin(ADMIN_EMAIL, Optional.of(password));
        CloudServer cloud = CloudServer.start(config);
        RecorderConfig recorderConfig = RecorderConfig.defaults(recorderData)
                .withLocal(LocalHttpConfig.defaults().withPort(portOrFree(LocalHttpConfig.DEFAULT_PORT)))
                .withSampleCameras(SAMPLE_CAMERAS)
                // Four cameras record about 2.4 MB/s: keep the demo's recordings to 2 GiB.
                .withRecordingLimits(new dev.outpost.recorder.recording.Retention.Limits(2L << 30, java.time.Duration.ofDays(1)));
        if (RecorderIdentity.load(recorderData).isEmpty()) {
            recorderConfig = recorderConfig.withActivation(cloud.localUrl(), activationCode(cloud, password));
        } else if (!RecorderIdentity.load(recorderData).get().cloudUrl().equals(cloud.localUrl())) {
            // The cloud came up on another port than last time: activate anew for this one.
            recorderConfig = recorderConfig.withActivation(cloud.localUrl(), activationCode(cloud, password));
        }
        Recorder recorder = Recorder.start(recorderConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            recorder.close();
            cloud.close();
            stopped.countDown();
        }, "demo-shutdown"));
        String url = cloud.localUrl().toString();
        System.out.println("""

                Outpost demo is running. Open %s
                  login:     %s / %s
                  (the cloud's certificate is self-signed: accept it in the browser; SHA-256 %s)
                  recorder:  %s (%s), local API on port %d
                From another terminal:
                  ./outpost login --cloud %s --email %s --trust-fingerprint %s
                  ./outpost recorders
                  ./outpost get "%s" /api/info
                Sample cameras, live through the cloud (fMP4; hd 2560x1440, sd 704x576; made on first use, then cached):
                %s
                  ./outpost get "%s" "/api/cameras/sample-1/live.mp4?stream=sd" --max-bytes 2000000 -o sample-1.mp4
                Stop with Ctrl-C. State is kept in %s.
                """.formatted(url, ADMIN_EMAIL, password, cloud.certificateFingerprint(),
                recorder.identity().recorderId(), recorder.identity().name(), recorder.localPort(),
                url, ADMIN_EMAIL, cloud.certificateFingerprint(), recorder.identity().name(),
                sampleUrls(url, recorder), recorder.identity().name(), data.toAbsolutePath()));
        stopped.await();
        return 0;
    }

    /** One line per sample camera: its name and its HD and SD live URLs through the cloud's relay. */
    static String sampleUrls(String cloudUrl, Recorder recorder) {
        String base = cloudUrl.endsWith("/") ? cloudUrl.substring(0, cloudUrl.length() - 1) : cloudUrl;
        StringBuilder lines = new StringBuilder();
        for (SampleCamera camera : recorder.sampleCameras()) {
            String live = base + "/relay/" + recorder.identity().recorderId() + "/api/cameras/" + camera.id()
                    + "/live.mp4?stream=";
            lines.append("  %s: %shd%n    %ssd%n".formatted(camera.name(), live, live));
        }
        return lines.toString().stripTrailing();
    }

    private static String activationCode(CloudServer cloud, String password) {
        var session = cloud.accounts().login(ADMIN_EMAIL, password, "127.0.0.1");
        AuthenticatedUser admin = cloud.accounts().authenticate(session.token()).orElseThrow();
        try {
            return cloud.recorders().createActivationCode(admin, new NewActivationCode(RECORDER_NAME)).code();
        } finally {
            cloud.accounts().logout(session.token());
        }
    }

    /** The demo admin's password: made once, kept in the demo's data directory (mode 0600). */
    private static String demoPassword(Path data) throws IOException {
        Path file = data.resolve("demo-login.txt");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        Files.createDirectories(data);
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path tmp = Files.createTempFile(data, "login", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, password + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    private static int portOrFree(int wanted) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", wanted));
            return wanted;
        } catch (IOException taken) {
            return 0;
        }
    }
}
