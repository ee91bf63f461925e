package dev.outpost.recorder.link;

import java.time.Instant;
import java.util.Optional;

/**
 * The link as the recorder's operator sees it.
 *
 * @param state         what the link is doing now
 * @param since         when it entered that state
 * @param transport     {@code h2} or {@code websocket} when online or last online, else empty
 * @param viaProxy      whether a proxy is in the path
 * @param publicAddress the recorder's address as the cloud saw it, once online
 * @param lastError     why the last attempt failed or the last link ended
 * @param failures      consecutive failed attempts
 */
public record LinkStatus(State state, Instant since, Optional<String> transport, boolean viaProxy,
                         Optional<String> publicAddress, Optional<String> lastError, int failures) {
    public enum State { CONNECTING, ONLINE, WAITING, REFUSED, STOPPED }
}
