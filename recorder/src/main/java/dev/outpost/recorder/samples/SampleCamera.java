package dev.outpost.recorder.samples;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.StreamKind;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A camera that needs no camera: a main (HD, 4MP) and a sub (SD, D1) stream of generated video, looped
 * forever, shaped like a configured camera so the recorder feeds it to the same live hubs. For demos and tests.
 * Camera {@code N} plays clip {@code N} unless told to play another one, so that many cameras can share the clips
 * of a few (see {@link SampleCameras#clipOf}).
 */
public final class SampleCamera implements AutoCloseable {
    private final int number;
    private final int clip;
    private final SampleStream main;
    private final SampleStream sub;
    /** Tells a clip being made to stop: interrupting the encoder's thread is not enough, native code may clear it. */
    private volatile boolean closed;

    /**
     * Sample camera {@code number}, id {@code sample-N}, not yet started.
     *
     * @param cacheDir where its clips are kept
     * @param encoder  where clips are loaded and made (platform threads: encoding holds native code for seconds)
     */
    public SampleCamera(int number, Path cacheDir, EventLoopGroup group, Executor encoder) {
        this(number, number, new SampleClips(cacheDir), group, encoder);
    }

    /** Sample camera {@code number} playing the clips of camera {@code clip}, loaded through {@code clips}. */
    SampleCamera(int number, int clip, SampleClips clips, EventLoopGroup group, Executor encoder) {
        this(number, SampleSpec.hd(clip), SampleSpec.sd(clip), clips, group, encoder);
    }

    SampleCamera(int number, SampleSpec mainSpec, SampleSpec subSpec, Path cacheDir, EventLoopGroup group,
                 Executor encoder) {
        this(number, mainSpec, subSpec, new SampleClips(cacheDir), group, encoder);
    }

    private SampleCamera(int number, SampleSpec mainSpec, SampleSpec subSpec, SampleClips clips, EventLoopGroup group,
                         Executor encoder) {
        if (number < 1) {
            throw new IllegalArgumentException("sample camera numbers start at 1, not " + number);
        }
        this.number = number;
        this.clip = mainSpec.number();
        String id = id(number);
        this.main = new SampleStream(id, StreamKind.MAIN, () -> clips.load(mainSpec, () -> closed), group.next(),
                encoder, Clock.systemUTC());
        this.sub = new SampleStream(id, StreamKind.SUB, () -> clips.load(subSpec, () -> closed), group.next(),
                encoder, Clock.systemUTC());
    }

    /** {@code sample-N}. */
    public static String id(int number) {
        return "sample-" + number;
    }

    public String id() {
        return id(number);
    }

    /** {@code Sample camera N}. */
    public String name() {
        return "Sample camera " + number;
    }

    public int number() {
        return number;
    }

    /** The number of the clips it plays (drawn on their pictures): its own number unless it shares another's. */
    public int clip() {
        return clip;
    }

    public SampleStream stream(StreamKind kind) {
        return kind == StreamKind.MAIN ? main : sub;
    }

    /** Both streams' status, main first. */
    public Map<StreamKind, CameraStatus> status() {
        EnumMap<StreamKind, CameraStatus> status = new EnumMap<>(StreamKind.class);
        status.put(StreamKind.MAIN, main.status());
        status.put(StreamKind.SUB, sub.status());
        return Collections.unmodifiableMap(status);
    }

    /** Starts both streams, the sub stream first: its small clip is ready soonest. */
    public void start() {
        sub.start();
        main.start();
    }

    @Override
    public void close() {
        closed = true;
        main.close();
        sub.close();
    }

    @Override
    public String toString() {
        return "SampleCamera[" + id() + "]";
    }
}
