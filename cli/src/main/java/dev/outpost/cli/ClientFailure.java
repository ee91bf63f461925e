package dev.outpost.cli;

/** A client command cannot go on; the message says why, for a person, and the exit code for scripts. */
final class ClientFailure extends RuntimeException {
    private final int exitCode;

    private ClientFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** Bad or missing input, or not logged in: exit code 2. */
    static ClientFailure usage(String message) {
        return new ClientFailure(ClientExit.USAGE, message);
    }

    /** What was asked for does not exist or is not allowed: exit code 1, like the cloud's refusals. */
    static ClientFailure refused(String message) {
        return new ClientFailure(ClientExit.REFUSED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
