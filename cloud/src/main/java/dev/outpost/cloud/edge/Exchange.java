package dev.outpost.cloud.edge;

import io.netty.handler.codec.http.HttpContent;

/**
 * One request and its answer on a viewer's connection. The {@link FrontDoor} feeds it the request
 * body and tells it about the connection; it calls {@link FrontDoor#finished} when its answer is
 * complete. Every method is called on the viewer connection's event loop.
 */
public interface Exchange {
    /** A piece of the request body; the exchange owns (and must release or pass on) it. */
    void content(HttpContent content);

    /** The viewer's connection became writable or stopped being writable. */
    default void viewerWritabilityChanged(boolean writable) {
    }

    /** The viewer went away; stop work and release what is held. */
    default void viewerClosed() {
    }
}
