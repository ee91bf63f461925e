package dev.outpost.recorder.samples;

import dev.outpost.recorder.cameras.StreamKind;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The recorder's sample cameras, {@code sample-1} to {@code sample-N}, and the threads that make their clips.
 * Clips are made on a few platform threads rather than virtual ones: an encoder holds native code for
 * seconds, which would pin the virtual threads' carriers the rest of the recorder needs.
 */
public final class SampleCameras implements AutoCloseable {
    private final List<SampleCamera> cameras;
    private final ExecutorService encoder;

    private SampleCameras(List<SampleCamera> cameras, ExecutorService encoder) {
        this.cameras = List.copyOf(cameras);
        this.encoder = encoder;
    }

    /** {@code count} sample cameras, not yet started, their clips kept in {@code cacheDir}. */
    public static SampleCameras create(int count, Path cacheDir, EventLoopGroup group) {
        if (count < 0) {
            throw new IllegalArgumentException("sample camera count must be 0 or more, not " + count);
        }
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 4);
        ExecutorService encoder = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("sample-encoder-", 1).daemon(true).factory());
        List<SampleCamera> cameras = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            cameras.add(new SampleCamera(number, cacheDir, group, encoder));
        }
        return new SampleCameras(cameras, encoder);
    }

    public List<SampleCamera> cameras() {
        return cameras;
    }

    /** Starts every camera: all sub streams first, whose small clips are ready in seconds, then the main ones. */
    public void start() {
        cameras.forEach(camera -> camera.stream(StreamKind.SUB).start());
        cameras.forEach(camera -> camera.stream(StreamKind.MAIN).start());
    }

    @Override
    public void close() {
        cameras.forEach(SampleCamera::close);
        encoder.shutdownNow(); // a clip being made stops at its next picture (SampleCamera.close told it)
    }
}
