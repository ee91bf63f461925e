/**
 * Peer-to-peer transport for native clients (docs/p2p.md): {@link dev.outpost.p2p.ice} finds a working UDP path
 * between viewer and recorder through their NATs (ICE with ice4j), {@link dev.outpost.p2p.quic} runs QUIC (Netty's
 * codec, on quiche) on it with each side's certificate pinned by the other, and {@link dev.outpost.p2p.http} reads
 * one HTTP/1.1 exchange per QUIC stream, so the recorder's one API router serves P2P viewers as it serves every
 * other path.
 */
package dev.outpost.p2p;
