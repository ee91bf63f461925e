package dev.outpost.recorder.p2p;

/**
 * A P2P signalling request the recorder will not serve. The reason tells an API which status to answer; the message
 * says what the viewer should do (stay on the relay, or start a new session).
 */
public final class P2pSessionRefused extends Exception {
    public enum Reason {
        /** The recorder has as many sessions as it keeps ({@link P2pSessions#MAX_SESSIONS}). */
        BUSY,
        /** A session could not start (no UDP socket, say). */
        UNAVAILABLE,
        /** No session of this user has the id: it ended, timed out, or is another user's. */
        NO_SUCH_SESSION
    }

    private final Reason reason;

    P2pSessionRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
