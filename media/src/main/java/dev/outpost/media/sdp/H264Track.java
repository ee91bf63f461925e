package dev.outpost.media.sdp;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an RTSP client needs to receive a camera's H.264 video (RFC 6184 section 8.2.1).
 *
 * @param controlUrl        the URL to SETUP, resolved (RFC 2326 section C.1.1)
 * @param payloadType       the dynamic payload type the packets carry
 * @param clockRate         always 90000 for H.264
 * @param packetizationMode 0 (single NAL unit), 1 (non-interleaved) or 2 (interleaved, which Outpost's
 *                          depacketizer does not take); 0 when the fmtp does not say
 * @param profileLevelId    the profile-level-id, three bytes (profile_idc, constraint flags, level_idc)
 * @param sps               the SPS from sprop-parameter-sets; the array is the caller's to keep
 * @param pps               the PPS from sprop-parameter-sets, likewise
 * @param frameRate         {@code a=framerate}, when the camera says
 */
public record H264Track(String controlUrl, int payloadType, int clockRate, int packetizationMode,
                        OptionalInt profileLevelId, Optional<byte[]> sps, Optional<byte[]> pps,
                        OptionalDouble frameRate) {
}
