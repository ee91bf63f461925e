package dev.outpost.wire.api;

import java.util.List;
import java.util.Optional;

/**
 * A recorder's Remote Network Settings ({@code GET/PUT /api/recorders/{id}/network}): how viewers may reach it
 * other than by relay.
 *
 * @param lanForwarding  LAN Smart Forwarding: a viewer whose public address is the recorder's, or falls in
 *                       {@code sameSiteRanges}, is sent to the recorder's local address. On by default.
 * @param sameSiteRanges more public address ranges (CIDR, {@code 198.51.100.0/24}, {@code 2001:db8::/32}) that
 *                       count as the recorder's site, for networks with several ways out
 * @param directConnect  an address the site forwards to the recorder, for viewers anywhere; empty: none
 */
public record RemoteNetworkSettings(boolean lanForwarding, List<String> sameSiteRanges,
                                    Optional<DirectConnect> directConnect) {
    public static final RemoteNetworkSettings DEFAULTS = new RemoteNetworkSettings(true, List.of(), Optional.empty());

    public RemoteNetworkSettings {
        sameSiteRanges = sameSiteRanges == null ? List.of() : List.copyOf(sameSiteRanges);
        directConnect = directConnect == null ? Optional.empty() : directConnect;
    }

    /**
     * Direct Connect: where viewers anywhere reach the recorder through the site's port forward.
     *
     * @param host   an IP address or a DNS name
     * @param port   the forwarded TCP port
     * @param scheme {@code https} (verified against the cloud's certificate authority) or {@code http}
     */
    public record DirectConnect(String host, int port, String scheme) {
    }
}
