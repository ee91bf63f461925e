package dev.outpost.media.sdp;

/**
 * An {@code a=} line (RFC 8866 section 5.13): {@code a=name:value}, or {@code a=name} whose value is "".
 */
public record Attribute(String name, String value) {
}
