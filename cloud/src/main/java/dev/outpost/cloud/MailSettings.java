package dev.outpost.cloud;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP server the cloud emails alerts through (docs/configuration.md, "Email"), and the address its emails
 * link to.
 *
 * @param host     the SMTP server; empty: no emails are sent (alerts are still kept and shown)
 * @param port     its port: 587 for STARTTLS, 465 for TLS, 25 for none
 * @param security how the connection is protected
 * @param user     the SMTP account, if the server asks for one
 * @param password its password (never logged)
 * @param from     the sender address of alert emails
 * @param webUrl   the cloud's address as people reach it, for the link to the recorder in each email
 * @param trustAll accept any certificate from the SMTP server (tests against a self-signed one only)
 */
public record MailSettings(Optional<String> host, int port, Security security, Optional<String> user,
                           Optional<String> password, String from, Optional<URI> webUrl, boolean trustAll) {
    public static final MailSettings NONE = new MailSettings(Optional.empty(), 587, Security.STARTTLS,
            Optional.empty(), Optional.empty(), "outpost@localhost", Optional.empty(), false);

    /** How the SMTP connection is protected. */
    public enum Security {
        /** Plain SMTP (a relay on the same host). */
        NONE,
        /** STARTTLS required (RFC 3207), usually port 587. */
        STARTTLS,
        /** TLS from the first byte (RFC 8314), usually port 465. */
        TLS;

        public static Security fromLabel(String label) {
            try {
                return valueOf(label.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("smtp-security must be none, starttls or tls, not " + label);
            }
        }
    }

    public MailSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(webUrl, "webUrl");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp-port must be 1 to 65535, not " + port);
        }
    }

    public boolean enabled() {
        return host.isPresent();
    }

    @Override
    public String toString() {
        return host.map(h -> h + ":" + port + " (" + security.name().toLowerCase(Locale.ROOT) + ")"
                + user.map(u -> " as " + u).orElse("")).orElse("none");
    }
}
