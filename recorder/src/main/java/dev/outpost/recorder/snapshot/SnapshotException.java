package dev.outpost.recorder.snapshot;

/**
 * A snapshot could not be made from the pictures given: too many of them, not starting on a keyframe, or video the
 * decoder rejects. The message names the picture (its index in the list) and says what to try instead.
 */
public final class SnapshotException extends Exception {
    public SnapshotException(String message) {
        super(message);
    }
}
