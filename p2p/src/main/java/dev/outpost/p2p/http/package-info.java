/**
 * One HTTP/1.1 exchange (RFC 9112) per QUIC stream, the viewer's side: a request head written, a response head
 * parsed (bounded), a body read by its length, chunked, or to the stream's end.
 */
package dev.outpost.p2p.http;
