package dev.outpost.media.sdp;

/**
 * A session description that breaks SDP syntax (RFC 8866) or describes its H.264 track wrongly; the
 * message names the line (counted from 1, as a text editor shows it) or the attribute.
 */
public final class SdpException extends RuntimeException {
    private final int line;

    /** A problem on line {@code line} of the text. */
    public SdpException(int line, String message) {
        super("SDP line " + line + ": " + message);
        this.line = line;
    }

    /** A problem with the description as a whole, not one line. */
    public SdpException(String message) {
        super("SDP: " + message);
        this.line = 0;
    }

    /** The line the problem is on, counted from 1; 0 when it is not about one line. */
    public int line() {
        return line;
    }
}
