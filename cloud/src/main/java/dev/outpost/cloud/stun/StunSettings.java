package dev.outpost.cloud.stun;

import java.util.Optional;

/**
 * How a cloud node runs its STUN server (docs/configuration.md, docs/p2p.md).
 *
 * @param enabled          whether to run it at all ({@code --stun-port 0} turns it off)
 * @param bindAddress      the primary address; empty for the cloud's own bind address
 * @param port             the primary port, 3478 by default (0 here picks a free one, for tests)
 * @param alternateAddress RFC 5780's second IP address; with it the server binds 2 addresses x 2 ports and
 *                         answers behaviour discovery (OTHER-ADDRESS, CHANGE-REQUEST, RESPONSE-ORIGIN)
 * @param alternatePort    RFC 5780's second port, used only with {@code alternateAddress} (0: a free one)
 */
public record StunSettings(boolean enabled, Optional<String> bindAddress, int port, Optional<String> alternateAddress,
                           int alternatePort) {
    public static final int DEFAULT_PORT = 3478;
    public static final int DEFAULT_ALTERNATE_PORT = 3479;

    public StunSettings {
        if (port < 0 || port > 65535 || alternatePort < 0 || alternatePort > 65535) {
            throw new IllegalArgumentException("STUN ports are 0 to 65535: " + port + ", " + alternatePort);
        }
        if (alternateAddress.isPresent() && port != 0 && port == alternatePort) {
            throw new IllegalArgumentException("the STUN alternate port must differ from the STUN port " + port);
        }
    }

    /** UDP 3478 on the cloud's bind address, without behaviour discovery. */
    public static StunSettings defaults() {
        return new StunSettings(true, Optional.empty(), DEFAULT_PORT, Optional.empty(), DEFAULT_ALTERNATE_PORT);
    }

    public static StunSettings disabled() {
        return new StunSettings(false, Optional.empty(), DEFAULT_PORT, Optional.empty(), DEFAULT_ALTERNATE_PORT);
    }

    /** From the command line's flags: port 0 turns the server off. */
    public static StunSettings of(Optional<String> bindAddress, int port, Optional<String> alternateAddress,
                                  int alternatePort) {
        return port == 0 ? disabled() : new StunSettings(true, bindAddress, port, alternateAddress, alternatePort);
    }
}
