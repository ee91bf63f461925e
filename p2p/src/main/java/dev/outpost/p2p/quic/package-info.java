/**
 * QUIC (RFC 9000) with kwik on the socket ICE selected: the recorder listens, the viewer dials, and the viewer
 * accepts only the certificate whose SHA-256 fingerprint came in signalling.
 */
package dev.outpost.p2p.quic;
