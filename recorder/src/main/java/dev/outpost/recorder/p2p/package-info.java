/**
 * The recorder's peer-to-peer sessions (docs/p2p.md): each one an ICE agent that answered a viewer's offer, then a
 * QUIC listener on the selected pair that accepts only the viewer's certificate and serves each stream with the
 * local port's own HTTP/1.1 pipeline and API router, so every request on a P2P path is grant-checked like any other.
 * Sessions are bounded in number and closed when idle.
 */
package dev.outpost.recorder.p2p;
