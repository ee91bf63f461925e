/**
 * QUIC (RFC 9000) with Netty's codec (quiche) on the socket ICE selected, through {@code IceDatagramChannel}: the
 * recorder listens, the viewer dials, and each accepts only the other's certificate, whose SHA-256 fingerprint came
 * in signalling (TLS 1.3 with a client certificate). The viewer reads each stream as a blocking
 * {@link java.io.InputStream}; the recorder serves its HTTP/1.1 API on each stream directly.
 */
package dev.outpost.p2p.quic;
