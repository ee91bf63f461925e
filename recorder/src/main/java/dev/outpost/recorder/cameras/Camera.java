package dev.outpost.recorder.cameras;

import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One configured camera and its two streams, main (HD) and sub (SD), each kept playing on its own. */
public final class Camera implements AutoCloseable {
    private final CameraConfig config;
    private final CameraStream main;
    private final CameraStream sub;

    /** The camera and its streams, not yet started. */
    public Camera(CameraConfig config, EventLoopGroup group) {
        this(config, group, CameraStream.Timing.DEFAULT);
    }

    Camera(CameraConfig config, EventLoopGroup group, CameraStream.Timing timing) {
        this.config = config;
        this.main = new CameraStream(config.id(), StreamKind.MAIN, config.mainUrl(), config.transport(), group, timing,
                Clock.systemUTC());
        this.sub = new CameraStream(config.id(), StreamKind.SUB, config.subUrl(), config.transport(), group, timing,
                Clock.systemUTC());
    }

    public String id() {
        return config.id();
    }

    public String name() {
        return config.name();
    }

    public CameraConfig config() {
        return config;
    }

    public CameraStream stream(StreamKind kind) {
        return kind == StreamKind.MAIN ? main : sub;
    }

    public CameraStream main() {
        return main;
    }

    public CameraStream sub() {
        return sub;
    }

    /** Both streams' status, main first. */
    public Map<StreamKind, CameraStatus> status() {
        EnumMap<StreamKind, CameraStatus> status = new EnumMap<>(StreamKind.class);
        status.put(StreamKind.MAIN, main.status());
        status.put(StreamKind.SUB, sub.status());
        return Collections.unmodifiableMap(status);
    }

    /** Starts both streams connecting. */
    public void start() {
        main.start();
        sub.start();
    }

    @Override
    public void close() {
        main.close();
        sub.close();
    }

    /** Completes once both streams are closed and will call no sink again (see {@link CameraStream#whenClosed}). */
    public CompletableFuture<Void> whenClosed() {
        return CompletableFuture.allOf(main.whenClosed().toCompletableFuture(), sub.whenClosed().toCompletableFuture());
    }

    @Override
    public String toString() {
        return "Camera[" + config.id() + ", " + config.name() + "]";
    }
}
