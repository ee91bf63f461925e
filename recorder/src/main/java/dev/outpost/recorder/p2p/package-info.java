/**
 * The recorder's peer-to-peer sessions (docs/p2p.md): each one an ICE agent that answered a viewer's offer, then a
 * QUIC listener on the selected pair whose streams are served by the recorder's one API router through a
 * loopback-only HTTP port ({@link dev.outpost.recorder.p2p.StreamPipe}), so every request on a P2P path is
 * grant-checked like any other. Sessions are bounded in number and closed when idle.
 */
package dev.outpost.recorder.p2p;
