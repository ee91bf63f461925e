package dev.outpost.wire.stun;

/**
 * A datagram that is not a well-formed STUN message. The message names the byte offset where the
 * parser gave up, counted from the first byte of the message.
 */
public final class StunFormatException extends RuntimeException {
    private final int offset;

    public StunFormatException(int offset, String problem) {
        super(problem + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Where in the message the problem is. */
    public int offset() {
        return offset;
    }
}
