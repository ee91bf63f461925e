package dev.outpost.cloud.links;

import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LocalEndpoint;
import dev.outpost.wire.link.LinkTransport;
import java.time.Instant;

/**
 * What the link layer asks of the rest of the cloud: may this recorder connect, and note that it came
 * and went. Calls are blocking (database); the link layer makes them on virtual threads.
 */
public interface LinkGate {
    /** The outcome of an admission: refused with a {@code LinkWelcome} code and message, or accepted. */
    record Admission(boolean accepted, String code, String message) {
        public static Admission accept() {
            return new Admission(true, "", "");
        }

        public static Admission refuse(String code, String message) {
            return new Admission(false, code, message);
        }
    }

    Admission admit(LinkHello hello);

    void linkUp(String recorderId, Instant at, String publicAddress, LinkTransport transport, boolean viaProxy,
                String software, LocalEndpoint local);

    void linkDown(String recorderId, Instant at);
}
