package dev.outpost.media.sdp;

/**
 * An {@code a=rtpmap} attribute (RFC 8866 section 6.6): what a dynamic payload type carries.
 *
 * @param payloadType        0 to 127
 * @param encoding           as written, for example {@code H264}; compare ignoring case
 * @param clockRate          Hz
 * @param encodingParameters audio channels, or "" when absent
 */
public record RtpMap(int payloadType, String encoding, int clockRate, String encodingParameters) {
}
