/**
 * The viewer's peer-to-peer path (docs/p2p.md): signalling with the recorder through the cloud's relay, ICE with
 * host and server-reflexive candidates from Outpost's STUN server, and QUIC on the selected pair with the
 * recorder's certificate pinned. {@link dev.outpost.client.RecorderConnection} upgrades a live stream to it.
 */
package dev.outpost.client.p2p;
