package dev.outpost.wire.api;

import java.time.Instant;

/**
 * A recorder as the cloud shows it.
 *
 * @param online        whether its link is up now
 * @param since         when it last came online (if online) or went offline (if not); null if never seen
 * @param publicAddress its address as the cloud saw it on the last link
 * @param transport     {@code h2} or {@code websocket} on the last link, empty if never seen
 * @param viaProxy      whether the last link came through an HTTP CONNECT proxy
 */
public record RecorderView(String id, String name, String organizationId, boolean online, Instant since,
                           String publicAddress, String transport, boolean viaProxy, String software,
                           boolean revoked) {
}
