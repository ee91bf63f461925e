package dev.outpost.recorder.cameras;

/**
 * One stream of pictures as the rest of the recorder sees it, whatever makes them: a camera's RTSP stream
 * ({@link CameraStream}) or a sample clip played in a loop. It calls its {@link VideoSink}s on one event
 * loop, in order, from {@link #start} until {@link #close}.
 */
public interface VideoSource extends AutoCloseable {
    String cameraId();

    StreamKind kind();

    /** Starts producing pictures; does nothing if started or closed already. */
    void start();

    /** Adds a sink: it gets the format first, if known, then every picture from the next on. */
    void addSink(VideoSink sink);

    /** Removes a sink; it may still get a call already under way. */
    void removeSink(VideoSink sink);

    /** A snapshot of what the stream is doing; callable from any thread. */
    CameraStatus status();

    /** Stops for good. */
    @Override
    void close();
}
