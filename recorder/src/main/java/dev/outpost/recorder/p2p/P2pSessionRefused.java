package dev.outpost.recorder.p2p;

/** Why a P2P signalling request cannot be served; the API turns it into an error answer with this status. */
public final class P2pSessionRefused extends Exception {
    private final int status;
    private final String code;

    P2pSessionRefused(int status, String code, String message) {
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
