package dev.outpost.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IP camera for one test: GStreamer's RTSP server on 127.0.0.1 serving live H.264 on a main and a sub stream.
 *
 * <p>Each stream is a moving test pattern with the wall clock drawn in, encoded by x264 the way a camera's encoder
 * works (no B-frames, an IDR frame every {@code gop} frames, SPS and PPS repeated in-band) and sent as RTP payload
 * type 96. Every client of a mount watches the same encoder. The server is a Python script from Debian's
 * {@code python3-gi} and {@code gir1.2-gst-rtsp-server-1.0}, a child of this JVM; {@link #close()} kills it and
 * deletes its directory, and if this JVM dies without closing it, it notices and does both itself.
 *
 * <pre>{@code
 * try (RtspCamera camera = RtspCamera.builder().digestAuth("admin", "secret").start()) {
 *     recorder.addCamera(camera.url(RtspCamera.MAIN));
 *     camera.stop();     // the camera loses power mid-recording
 *     camera.restart();  // and comes back on the same port
 * }
 * }</pre>
 */
public final class RtspCamera implements AutoCloseable {

    /** The mount of the main (HD) stream. */
    public static final String MAIN = "/main";
    /** The mount of the sub (SD) stream. */
    public static final String SUB = "/sub";

    private static final Logger log = LoggerFactory.getLogger(RtspCamera.class);

    private static final String HOST = "127.0.0.1";
    private static final String SCRIPT = "rtsp_camera.py";
    private static final int MAX_SIDE = 4096;

    /** How a client may carry RTP: interleaved on the RTSP connection, or as UDP datagrams. */
    public enum Transport { TCP, UDP }

    /** The H.264 profile written into the SPS. */
    public enum Profile { CONSTRAINED_BASELINE, MAIN, HIGH }

    /** The user and password a client needs, when the camera asks for any. */
    public record Credentials(String user, String password) {
        public Credentials {
            if (user.isEmpty() || user.chars().anyMatch(c -> c == ':' || c == '"' || c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("camera user must be non-empty without ':', '\"' or controls: '"
                        + user + "'");
            }
            if (password.isEmpty() || password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("camera password must be non-empty without controls");
            }
        }

        @Override
        public String toString() {
            return "Credentials[" + user + ", ****]";
        }
    }

    private enum Auth { NONE, BASIC, DIGEST }

    private record Settings(int mainWidth, int mainHeight, int subWidth, int subHeight, int fps, int gop,
                            int mainKbps, int subKbps, Profile profile, Auth auth, Optional<Credentials> credentials,
                            Set<Transport> transports) {

        /** The command line of rtsp_camera.py, but for the port; the password goes in the environment. */
        List<String> arguments() {
            List<String> arguments = new ArrayList<>(List.of(
                    "--stream", MAIN + ":" + mainWidth + "x" + mainHeight + ":" + mainKbps,
                    "--stream", SUB + ":" + subWidth + "x" + subHeight + ":" + subKbps,
                    "--fps", Integer.toString(fps),
                    "--gop", Integer.toString(gop),
                    "--profile", profile.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    "--auth", auth.name().toLowerCase(Locale.ROOT),
                    "--transports", String.join(",", transports.stream()
                            .map(t -> t.name().toLowerCase(Locale.ROOT)).toList())));
            credentials.ifPresent(c -> arguments.addAll(List.of("--user", c.user())));
            return arguments;
        }
    }

    private final Settings settings;
    private final Path directory;
    private final int port;
    private final Thread shutdownHook;
    // Written under the lock; read without it by the shutdown hook, which must not wait for a test thread.
    private volatile Optional<RtspCameraProcess> process;
    private boolean closed;

    private RtspCamera(Settings settings, Path directory, RtspCameraProcess process) {
        this.settings = settings;
        this.directory = directory;
        this.port = process.port();
        this.process = Optional.of(process);
        this.shutdownHook = Thread.ofPlatform().unstarted(this::killQuietly);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options of an {@link RtspCamera}. By default: main 1280x720 at 4000 kbit/s, sub 704x576 at 800 kbit/s, 15 fps,
     * an IDR frame every 30 frames, High profile, no authentication, TCP and UDP transport.
     */
    public static final class Builder {

        private int mainWidth = 1280;
        private int mainHeight = 720;
        private int subWidth = 704;
        private int subHeight = 576;
        private int fps = 15;
        private int gop = 30;
        private int mainKbps = 4000;
        private int subKbps = 800;
        private Profile profile = Profile.HIGH;
        private Auth auth = Auth.NONE;
        private Optional<Credentials> credentials = Optional.empty();
        private Set<Transport> transports = EnumSet.allOf(Transport.class);

        private Builder() {
        }

        /** Picture size of {@link #MAIN}; both sides even (4:2:0 chroma), 16 to 4096. */
        public Builder mainSize(int width, int height) {
            checkSize("main", width, height);
            this.mainWidth = width;
            this.mainHeight = height;
            return this;
        }

        /** Picture size of {@link #SUB}; both sides even (4:2:0 chroma), 16 to 4096. */
        public Builder subSize(int width, int height) {
            checkSize("sub", width, height);
            this.subWidth = width;
            this.subHeight = height;
            return this;
        }

        /** Frames per second of both streams, 1 to 60. */
        public Builder fps(int fps) {
            checkRange("fps", fps, 1, 60);
            this.fps = fps;
            return this;
        }

        /** Frames from one IDR frame to the next on both streams (a camera's "I-frame interval"), 1 to 600. */
        public Builder gop(int frames) {
            checkRange("gop", frames, 1, 600);
            this.gop = frames;
            return this;
        }

        /** Target bit rate of {@link #MAIN} in kbit/s, 16 to 100000. */
        public Builder mainBitrateKbps(int kbps) {
            checkRange("main bitrate (kbit/s)", kbps, 16, 100_000);
            this.mainKbps = kbps;
            return this;
        }

        /** Target bit rate of {@link #SUB} in kbit/s, 16 to 100000. */
        public Builder subBitrateKbps(int kbps) {
            checkRange("sub bitrate (kbit/s)", kbps, 16, 100_000);
            this.subKbps = kbps;
            return this;
        }

        /** H.264 profile of both streams. */
        public Builder profile(Profile profile) {
            this.profile = profile;
            return this;
        }

        /** Requires RFC 2617 Digest authentication: 401 with {@code WWW-Authenticate: Digest} without it. */
        public Builder digestAuth(String user, String password) {
            this.credentials = Optional.of(new Credentials(user, password));
            this.auth = Auth.DIGEST;
            return this;
        }

        /** Requires Basic authentication: 401 with {@code WWW-Authenticate: Basic} without it. */
        public Builder basicAuth(String user, String password) {
            this.credentials = Optional.of(new Credentials(user, password));
            this.auth = Auth.BASIC;
            return this;
        }

        /** The transports clients may set up; any other gets 461 Unsupported Transport. */
        public Builder transports(Transport first, Transport... more) {
            this.transports = EnumSet.of(first, more);
            return this;
        }

        /** Starts the camera on a free port of 127.0.0.1 and returns once it accepts RTSP connections. */
        public RtspCamera start() {
            return RtspCamera.start(new Settings(mainWidth, mainHeight, subWidth, subHeight, fps, gop, mainKbps,
                    subKbps, profile, auth, credentials, Set.copyOf(transports)));
        }

        private static void checkSize(String stream, int width, int height) {
            checkRange(stream + " width", width, 16, MAX_SIDE);
            checkRange(stream + " height", height, 16, MAX_SIDE);
            if (width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException(stream + " size must have even sides (4:2:0 chroma), got "
                        + width + "x" + height);
            }
        }

        private static void checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
            }
        }
    }

    public String host() {
        return HOST;
    }

    /** The RTSP port, the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The credentials clients need; empty when the camera asks for none. */
    public Optional<Credentials> credentials() {
        return settings.credentials();
    }

    /**
     * {@code rtsp://user:password@127.0.0.1:PORT/main} for a mount such as {@link #MAIN} or {@link #SUB} (user and
     * password percent-encoded; none when the camera needs none). Other mounts are not served: 404.
     */
    public URI url(String mount) {
        return url(mount, true);
    }

    /** The URL of a mount, with the user and password in it or without them. */
    public URI url(String mount, boolean withCredentials) {
        String path = mount.startsWith("/") ? mount : "/" + mount;
        String userInfo = settings.credentials().filter(c -> withCredentials)
                .map(c -> UserInfo.percentEncode(c.user()) + ":" + UserInfo.percentEncode(c.password()) + "@")
                .orElse("");
        return URI.create("rtsp://" + userInfo + HOST + ":" + port + path);
    }

    /** Whether the server runs: between {@link #stop()} and {@link #restart()} it does not. */
    public synchronized boolean isRunning() {
        return process.isPresent();
    }

    /**
     * Kills the server at once, as if the camera lost power: connected clients see their connection reset and new
     * ones are refused until {@link #restart()}. Does nothing when it is stopped already.
     */
    public synchronized void stop() {
        process.filter(p -> !p.isAlive()).ifPresent(dead -> log.warn(
                "the RTSP camera on {}:{} had died by itself before it was stopped; the end of its log:\n{}", HOST,
                port, logTail()));
        process.ifPresent(RtspCameraProcess::kill);
        process = Optional.empty();
        log.debug("RTSP camera on {}:{} stopped", HOST, port);
    }

    /**
     * Starts the server again on the same port, with the same streams and credentials, stopping it first if it runs;
     * returns once it accepts RTSP connections.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("RTSP camera on port " + port + " is closed");
        }
        stop();
        process = Optional.of(launch(settings, directory, port));
        log.debug("RTSP camera on {}:{} restarted", HOST, port);
    }

    /** The running server, for tests that play a dead JVM or check it is gone. */
    synchronized Optional<RtspCameraProcess> process() {
        return process;
    }

    /** The last lines GStreamer's server wrote, to explain a camera that died in a test. */
    private String logTail() {
        try {
            java.util.List<String> lines = Files.readAllLines(directory.resolve("camera.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Directory of the script and its output; deleted by {@link #close()}. */
    Path directory() {
        return directory;
    }

    /** Kills the server, waits until it is gone and deletes its files. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run; killing twice is harmless.
        }
        try {
            stop();
        } finally {
            ScratchDirectory.delete(directory, "RTSP camera");
        }
    }

    @Override
    public synchronized String toString() {
        return "RtspCamera[" + HOST + ":" + port + (closed ? ", closed]" : process.isEmpty() ? ", stopped]" : "]");
    }

    private static RtspCamera start(Settings settings) {
        requireInstalled();
        Path directory = createDirectory();
        try {
            copyScript(directory);
            // Port 0: the kernel picks a free port and the script reports it, so there is no race for it.
            RtspCameraProcess process = launch(settings, directory, 0);
            log.debug("RTSP camera started on {}:{} pid {} in {}", HOST, process.port(), process.handle().pid(),
                    directory);
            return new RtspCamera(settings, directory, process);
        } catch (RuntimeException e) {
            ScratchDirectory.delete(directory, "RTSP camera");
            throw e;
        }
    }

    private static RtspCameraProcess launch(Settings settings, Path directory, int port) {
        List<String> arguments = new ArrayList<>(settings.arguments());
        arguments.addAll(List.of("--port", Integer.toString(port), "--orphan-cleanup", directory.toString()));
        // A restart binds the port of the killed server; the kernel frees it with that server's sockets, so a
        // refusal means another process took it in between, and it may let go again shortly.
        long deadline = System.nanoTime() + RtspCameraProcess.STOP_TIMEOUT.toNanos();
        while (true) {
            Optional<RtspCameraProcess> process = RtspCameraProcess.start(directory.resolve(SCRIPT),
                    directory.resolve("camera.log"), arguments, settings.credentials().map(Credentials::password));
            if (process.isPresent()) {
                return process.get();
            }
            if (port == 0 || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("RTSP camera cannot listen on " + HOST + ":" + port
                        + ": another process holds the port");
            }
        }
    }

    private static void requireInstalled() {
        if (!Files.isExecutable(RtspCameraProcess.PYTHON)) {
            throw new IllegalStateException(RtspCameraProcess.PYTHON + " not found: install the Debian packages "
                    + "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good "
                    + "gstreamer1.0-plugins-ugly");
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("outpost-rtsp-camera-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the RTSP camera", e);
        }
    }

    private static void copyScript(Path directory) {
        try (InputStream script = RtspCamera.class.getResourceAsStream(SCRIPT)) {
            if (script == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the testkit jar, next to "
                        + RtspCamera.class.getName());
            }
            Files.copy(script, directory.resolve(SCRIPT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + SCRIPT + " to " + directory, e);
        }
    }

    /** Shutdown hook: the script also exits on its own when this JVM's end of its stdin closes. */
    private void killQuietly() {
        try {
            process.ifPresent(RtspCameraProcess::kill);
        } catch (RuntimeException e) {
            log.warn("cannot stop the RTSP camera on port {}: {}", port, e.getMessage());
        }
    }
}
