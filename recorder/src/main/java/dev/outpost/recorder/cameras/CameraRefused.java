package dev.outpost.recorder.cameras;

/**
 * A change to the camera set that cannot be made as asked: nothing changed. The reason tells an API which status
 * to answer; the message says what to do instead.
 */
public final class CameraRefused extends Exception {
    public enum Reason {
        /** Another camera, or a sample camera, has the id. */
        ID_TAKEN,
        /** No camera has the id. */
        NO_SUCH_CAMERA,
        /** The recorder has as many cameras as it takes ({@link CameraSet#MAX_CAMERAS}). */
        TOO_MANY_CAMERAS
    }

    private final Reason reason;

    public CameraRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
