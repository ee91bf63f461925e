/**
 * Peer-to-peer transport for native clients (docs/p2p.md): {@link dev.outpost.p2p.ice} finds a working UDP path
 * between viewer and recorder through their NATs (ICE with ice4j), {@link dev.outpost.p2p.quic} runs QUIC (kwik)
 * on it with the recorder's certificate pinned, and {@link dev.outpost.p2p.http} carries one HTTP/1.1 exchange
 * on each QUIC stream, so the recorder's one API router serves P2P viewers as it serves every other path.
 */
package dev.outpost.p2p;
