package dev.outpost.recorder.exports;

/** A clip could not be made; the message says why and what to try. */
public final class ClipException extends Exception {
    public ClipException(String message) {
        super(message);
    }

    public ClipException(String message, Throwable cause) {
        super(message, cause);
    }
}
