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
 *
 * <p>Making a distinct 4MP clip takes about 10 s of a core, so many cameras share the clips of a few: with
 * {@code clips} distinct clips, camera {@code N} plays clip {@code ((N - 1) % clips) + 1} ({@link #clipOf}), and a
 * clip shared by several cameras is loaded into memory once.
 */
public final class SampleCameras implements AutoCloseable {
    /** Most distinct clips by default: cameras past the 16th replay the clips of the first 16. */
    public static final int MAX_DISTINCT_CLIPS = 16;

    private final List<SampleCamera> cameras;
    private final ExecutorService encoder;

    private SampleCameras(List<SampleCamera> cameras, ExecutorService encoder) {
        this.cameras = List.copyOf(cameras);
        this.encoder = encoder;
    }

    /**
     * {@code count} sample cameras, not yet started, their clips kept in {@code cacheDir}: each its own clip, up to
     * {@link #MAX_DISTINCT_CLIPS}.
     */
    public static SampleCameras create(int count, Path cacheDir, EventLoopGroup group) {
        return create(count, Math.min(count, MAX_DISTINCT_CLIPS), cacheDir, group);
    }

    /**
     * {@code count} sample cameras, not yet started, sharing {@code clips} distinct clips (see {@link #clipOf}) kept
     * in {@code cacheDir}.
     *
     * @param clips 1 to {@code count}; 0 when {@code count} is 0
     */
    public static SampleCameras create(int count, int clips, Path cacheDir, EventLoopGroup group) {
        if (count < 0) {
            throw new IllegalArgumentException("sample camera count must be 0 or more, not " + count);
        }
        if (clips > count || (count > 0 && clips < 1)) {
            throw new IllegalArgumentException(count + " sample cameras cannot share " + clips
                    + " distinct clips: give 1 to " + count);
        }
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 4);
        ExecutorService encoder = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("sample-encoder-", 1).daemon(true).factory());
        SampleClips shared = new SampleClips(cacheDir);
        List<SampleCamera> cameras = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            cameras.add(new SampleCamera(number, clipOf(number, clips), shared, group, encoder));
        }
        return new SampleCameras(cameras, encoder);
    }

    /** The clip camera {@code number} plays when {@code clips} distinct clips are shared: 1, 2, ... clips, 1, 2, ... */
    public static int clipOf(int number, int clips) {
        if (number < 1 || clips < 1) {
            throw new IllegalArgumentException("sample camera numbers and clip counts start at 1, not " + number
                    + " and " + clips);
        }
        return (number - 1) % clips + 1;
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
