package dev.outpost.recorder.exports;

/**
 * An export the recorder will not start: nothing was started. The reason tells an API which status to answer; the
 * message says what to do instead.
 */
public final class ExportRefused extends Exception {
    public enum Reason {
        /** The request itself is wrong (no range, too long, ...). */
        BAD_EXPORT,
        /** The recorder has no recording of that camera. */
        NO_SUCH_CAMERA,
        /** A range holds nothing recorded. */
        NOT_RECORDED,
        /** The clip would be larger than the outbox can ever hold. */
        OUTBOX_FULL,
        /** As many exports as the recorder runs and queues are under way. */
        TOO_MANY_EXPORTS
    }

    private final Reason reason;

    public ExportRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
