package dev.outpost.recorder.exports;

/**
 * An export the recorder will not start, with the HTTP status and code the API answers: 400 {@code bad-export}, 404
 * {@code not-found} or {@code not-recorded}, 429 {@code too-many-exports}, 507 {@code outbox-full}.
 */
public final class ExportRefused extends Exception {
    private final int status;
    private final String code;

    public ExportRefused(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
