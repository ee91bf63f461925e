package dev.outpost.recorder.identity;

/**
 * Activation did not happen; {@link #error()} is a stable word and the message says what to do.
 * Words: {@code bad-url}, {@code bad-code}, {@code code-expired}, {@code code-used}, {@code unreachable},
 * {@code not-the-cloud}, {@code bad-answer}, {@code refused}.
 */
public final class ActivationException extends Exception {
    private final String error;

    public ActivationException(String error, String message) {
        super(message);
        this.error = error;
    }

    public ActivationException(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
