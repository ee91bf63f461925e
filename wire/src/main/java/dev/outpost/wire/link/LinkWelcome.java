package dev.outpost.wire.link;

import java.util.Objects;

/**
 * The cloud's answer to {@link LinkHello}. When accepted, HTTP/2 (cloud as client) follows at once;
 * when refused, the cloud closes the connection after sending it.
 *
 * @param accepted   whether the link is up
 * @param code       a stable word for refusals ({@code unknown}, {@code revoked}, {@code bad-credential},
 *                   {@code unavailable}), empty when accepted
 * @param message    what the recorder's operator should do, in plain words
 * @param publicAddress the recorder's address as the cloud sees it
 */
public record LinkWelcome(boolean accepted, String code, String message, String publicAddress) {
    public static final String REVOKED = "revoked";
    public static final String UNKNOWN = "unknown";
    public static final String BAD_CREDENTIAL = "bad-credential";
    public static final String UNAVAILABLE = "unavailable";

    public LinkWelcome {
        code = Objects.requireNonNullElse(code, "");
        message = Objects.requireNonNullElse(message, "");
        publicAddress = Objects.requireNonNullElse(publicAddress, "");
    }

    public static LinkWelcome accept(String publicAddress) {
        return new LinkWelcome(true, "", "", publicAddress);
    }

    public static LinkWelcome refuse(String code, String message) {
        return new LinkWelcome(false, code, message, "");
    }

    /** Refusals a retry cannot fix: the recorder stops dialling and says so. */
    public boolean permanent() {
        return !accepted && (REVOKED.equals(code) || UNKNOWN.equals(code) || BAD_CREDENTIAL.equals(code));
    }
}
