package dev.outpost.recorder.cameras;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;

/**
 * Where one camera stream's pictures go: the live hub, the recording, snapshots. Called on the
 * stream's event loop, in order; an implementation never blocks (blocking work, such as file I/O,
 * goes to its own thread through a bounded queue).
 */
public interface VideoSink {
    /** The stream's format, before its first picture and again whenever it changes. */
    void onFormat(StreamFormat format);

    /** The next picture; the sink may keep it (access units are immutable). */
    void onAccessUnit(AccessUnit unit);

    /** The stream stopped (camera gone, link lost); pictures after this follow a gap. */
    void onInterruption(String reason);
}
