package dev.outpost.media.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One {@code m=} section of a session description (RFC 8866 section 5.14) and the attributes Outpost
 * reads from it.
 *
 * @param media              video, audio, application, ...
 * @param port               as announced (RTSP cameras say 0; the port comes from SETUP)
 * @param protocol           for example {@code RTP/AVP}
 * @param formats            the formats in order of preference; payload type numbers for RTP
 * @param connection         the address of a media-level {@code c=} line
 * @param control            {@code a=control} as written (RFC 2326 section C.1.1), unresolved
 * @param rtpMaps            {@code a=rtpmap} by payload type
 * @param formatParameters   {@code a=fmtp} by payload type: parameter names in lower case, values as written
 * @param frameRate          {@code a=framerate} (RFC 8866 section 6.4)
 * @param attributes         every {@code a=} line of the section, the ones above included, in order
 */
public record MediaDescription(String media, int port, String protocol, List<String> formats,
                               Optional<String> connection, Optional<String> control, Map<Integer, RtpMap> rtpMaps,
                               Map<Integer, Map<String, String>> formatParameters, OptionalDouble frameRate,
                               List<Attribute> attributes) {
    public MediaDescription {
        formats = List.copyOf(formats);
        rtpMaps = Map.copyOf(rtpMaps);
        formatParameters = Map.copyOf(formatParameters);
        attributes = List.copyOf(attributes);
    }
}
