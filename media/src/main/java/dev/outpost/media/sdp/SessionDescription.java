package dev.outpost.media.sdp;

import dev.outpost.media.h264.NalUnits;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A session description (RFC 8866) as RTSP cameras send it in answer to DESCRIBE, with the parts
 * Outpost uses: the session, its media sections, and {@link #videoTrack} to pick the H.264 video.
 *
 * @param origin      the {@code o=} line as written, "" if absent
 * @param sessionName the {@code s=} line, "" if absent
 * @param connection  the address of the session-level {@code c=} line
 * @param control     the session-level {@code a=control}, as written
 * @param attributes  every session-level {@code a=} line, in order
 * @param media       the {@code m=} sections, in order
 */
public record SessionDescription(String origin, String sessionName, Optional<String> connection,
                                 Optional<String> control, List<Attribute> attributes, List<MediaDescription> media) {
    /** The longest description accepted, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** The most lines accepted. */
    public static final int MAX_LINES = 1024;
    /** The longest line accepted, in characters. */
    public static final int MAX_LINE_LENGTH = 4096;

    public SessionDescription {
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /**
     * Parses a description. CRLF, LF and CR line ends, blank lines, surrounding spaces and unknown line
     * types and attributes are accepted; a line that is not {@code <letter>=<value>}, a first line other
     * than {@code v=0}, or a malformed {@code m=}, {@code c=}, {@code t=}, {@code rtpmap}, {@code fmtp},
     * {@code control} or {@code framerate} is not.
     *
     * @throws SdpException naming the line, also when the text is over {@link #MAX_LENGTH},
     *                      {@link #MAX_LINES} or {@link #MAX_LINE_LENGTH}
     */
    public static SessionDescription parse(String text) {
        return new SdpParser(text).parse();
    }

    /**
     * The session's aggregate control URL, for PLAY and TEARDOWN: the session-level {@code a=control}
     * resolved against {@code baseUrl}, or {@code baseUrl} itself.
     *
     * @param baseUrl the DESCRIBE response's Content-Base, else its Content-Location, else the request URL
     */
    public String aggregateControl(String baseUrl) {
        return resolveControl(baseUrl, control.orElse("*"));
    }

    /**
     * The first H.264 video format of the first video section that has one.
     *
     * @param baseUrl as for {@link #aggregateControl}; relative media controls resolve against the
     *                session-level control when that is an absolute URL (as live555 does), else against this
     * @throws SdpException if that format's clock rate, packetization-mode, profile-level-id or
     *                      sprop-parameter-sets is malformed
     */
    public Optional<H264Track> videoTrack(String baseUrl) {
        for (MediaDescription section : media) {
            if (!section.media().equalsIgnoreCase("video")) {
                continue;
            }
            for (String format : section.formats()) {
                int payloadType = SdpParser.payloadTypeOrMinus1(format);
                RtpMap map = section.rtpMaps().get(payloadType);
                if (map != null && map.encoding().equalsIgnoreCase("H264")) {
                    return Optional.of(h264Track(section, map, baseUrl));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves an {@code a=control} value (RFC 2326 section C.1.1): "*" means the base itself, an absolute
     * URL stands alone, a path from "/" replaces the base's path, and anything else is appended to the
     * base after a "/". Appending rather than RFC 3986 resolution is what cameras expect: Dahua's base
     * {@code ...realmonitor?channel=1&subtype=0/} with {@code trackID=0} must give
     * {@code ...subtype=0/trackID=0}, as FFmpeg and live555 make it.
     */
    public static String resolveControl(String baseUrl, String control) {
        if (control.isEmpty() || control.equals("*")) {
            return baseUrl;
        }
        if (isAbsoluteUrl(control)) {
            return control;
        }
        if (control.startsWith("/")) {
            int scheme = baseUrl.indexOf("://");
            if (scheme > 0) {
                int path = indexOfAny(baseUrl, "/?", scheme + 3);
                return (path < 0 ? baseUrl : baseUrl.substring(0, path)) + control;
            }
        }
        return baseUrl.endsWith("/") ? baseUrl + control : baseUrl + "/" + control;
    }

    private H264Track h264Track(MediaDescription section, RtpMap map, String baseUrl) {
        int payloadType = map.payloadType();
        String where = "payload type " + payloadType;
        if (map.clockRate() != 90_000) {
            throw new SdpException(where + ": H264 runs on a 90000 Hz clock (RFC 6184), not " + map.clockRate());
        }
        Map<String, String> fmtp = section.formatParameters().getOrDefault(payloadType, Map.of());
        int mode = 0;
        String modeText = fmtp.getOrDefault("packetization-mode", "");
        if (!modeText.isEmpty()) {
            if (!modeText.matches("[012]")) {
                throw new SdpException(where + ": packetization-mode \"" + SdpParser.excerpt(modeText)
                        + "\" is not 0, 1 or 2");
            }
            mode = Integer.parseInt(modeText);
        }
        OptionalInt profileLevelId = OptionalInt.empty();
        String profileText = fmtp.getOrDefault("profile-level-id", "");
        if (!profileText.isEmpty()) {
            if (!profileText.matches("[0-9A-Fa-f]{6}")) {
                throw new SdpException(where + ": profile-level-id \"" + SdpParser.excerpt(profileText)
                        + "\" is not 6 hex digits");
            }
            profileLevelId = OptionalInt.of(HexFormat.fromHexDigits(profileText));
        }
        byte[] sps = null;
        byte[] pps = null;
        String sprop = fmtp.getOrDefault("sprop-parameter-sets", "");
        String[] entries = sprop.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            byte[] nal;
            try {
                nal = Base64.getDecoder().decode(entry);
            } catch (IllegalArgumentException e) {
                throw new SdpException(where + ": sprop-parameter-sets entry " + (i + 1) + " is not base64 ("
                        + e.getMessage() + ")");
            }
            if (nal.length == 0) {
                continue;
            }
            int type = NalUnits.type(nal[0]);
            if (type == NalUnits.SPS && sps == null) {
                sps = nal;
            } else if (type == NalUnits.PPS && pps == null) {
                pps = nal;
            } // other NAL units (SEI) are allowed there and of no use before the stream
        }
        String base = control.filter(SessionDescription::isAbsoluteUrl).orElse(baseUrl);
        return new H264Track(resolveControl(base, section.control().orElse("*")), payloadType, map.clockRate(), mode,
                profileLevelId, Optional.ofNullable(sps), Optional.ofNullable(pps), section.frameRate());
    }

    private static boolean isAbsoluteUrl(String url) {
        return url.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
