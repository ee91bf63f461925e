package dev.outpost.wire.grant;

/** A grant was refused; {@link #reason()} says why in a word a client can act on. */
public final class GrantException extends Exception {
    /** Why a grant was refused. */
    public enum Reason { MISSING, MALFORMED, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_RECORDER }

    private final Reason reason;

    public GrantException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
