package dev.outpost.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** One parse of one description: the line loop of {@link SessionDescription#parse}. */
final class SdpParser {
    private final String text;
    private int lineNumber;

    private boolean sawVersion;
    private String origin = "";
    private String sessionName = "";
    private Optional<String> connection = Optional.empty();
    private Optional<String> control = Optional.empty();
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();
    private MediaBuilder current;

    SdpParser(String text) {
        this.text = text;
    }

    SessionDescription parse() {
        if (text.length() > SessionDescription.MAX_LENGTH) {
            throw new SdpException("description of " + text.length() + " characters is longer than the "
                    + SessionDescription.MAX_LENGTH + " accepted");
        }
        int at = 0;
        while (at < text.length()) {
            int end = at;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lineNumber++;
            if (lineNumber > SessionDescription.MAX_LINES) {
                throw new SdpException(lineNumber, "more than " + SessionDescription.MAX_LINES + " lines");
            }
            if (end - at > SessionDescription.MAX_LINE_LENGTH) {
                throw new SdpException(lineNumber, "line of " + (end - at) + " characters is longer than the "
                        + SessionDescription.MAX_LINE_LENGTH + " accepted");
            }
            line(text.substring(at, end).strip());
            at = end < text.length() && text.charAt(end) == '\r' && end + 1 < text.length()
                    && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
        }
        if (!sawVersion) {
            throw new SdpException("no v=0 line: this is not a session description");
        }
        endMedia();
        return new SessionDescription(origin, sessionName, connection, control, attributes, media);
    }

    private void line(String line) {
        if (line.isEmpty()) {
            return;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new SdpException(lineNumber, "control character 0x" + Integer.toHexString(c)
                        + " at column " + (i + 1));
            }
        }
        if (line.length() < 2 || line.charAt(1) != '=' || !isAsciiLetter(line.charAt(0))) {
            throw new SdpException(lineNumber, "expected <type>=<value>, got \"" + excerpt(line) + "\"");
        }
        char type = line.charAt(0);
        String value = line.substring(2).strip();
        if (!sawVersion) {
            if (type != 'v' || !value.equals("0")) {
                throw new SdpException(lineNumber, "a description starts with v=0, got \"" + excerpt(line) + "\"");
            }
            sawVersion = true;
            return;
        }
        switch (type) {
            case 'v' -> throw new SdpException(lineNumber, "a second v= line: one session per description");
            case 'o' -> {
                if (current == null && origin.isEmpty()) {
                    origin = value;
                }
            }
            case 's' -> {
                if (current == null && sessionName.isEmpty()) {
                    sessionName = value;
                }
            }
            case 'c' -> connection(value);
            case 't' -> timing(value);
            case 'm' -> media(value);
            case 'a' -> attribute(value);
            default -> { } // i, u, e, p, b, z, k, r and unknown types: nothing Outpost uses
        }
    }

    // RFC 8866 section 5.7: c=<nettype> <addrtype> <connection-address>
    private void connection(String value) {
        String[] fields = value.split("\\s+");
        if (fields.length != 3) {
            throw new SdpException(lineNumber, "c= needs <nettype> <addrtype> <address>, got \"" + excerpt(value) + "\"");
        }
        String address = fields[2].split("/", 2)[0]; // without a multicast TTL or count
        if (current == null) {
            connection = Optional.of(address);
        } else {
            current.connection = Optional.of(address);
        }
    }

    // RFC 8866 section 5.9: t=<start-time> <stop-time>
    private void timing(String value) {
        if (!value.matches("\\d{1,20}\\s+\\d{1,20}")) {
            throw new SdpException(lineNumber, "t= needs <start> <stop> as numbers, got \"" + excerpt(value) + "\"");
        }
    }

    // RFC 8866 section 5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
    private void media(String value) {
        endMedia();
        String[] fields = value.split("\\s+");
        if (fields.length < 4) {
            throw new SdpException(lineNumber, "m= needs <media> <port> <proto> <format>..., got \""
                    + excerpt(value) + "\"");
        }
        String port = fields[1].split("/", 2)[0];
        int portNumber = port.matches("\\d{1,5}") ? Integer.parseInt(port) : -1;
        if (portNumber < 0 || portNumber > 65_535) {
            throw new SdpException(lineNumber, "m= port \"" + excerpt(fields[1]) + "\" is not 0..65535");
        }
        current = new MediaBuilder(fields[0], portNumber, fields[2], List.of(fields).subList(3, fields.length));
    }

    private void attribute(String value) {
        int colon = value.indexOf(':');
        String name = (colon < 0 ? value : value.substring(0, colon)).strip();
        String content = colon < 0 ? "" : value.substring(colon + 1).strip();
        if (name.isEmpty()) {
            throw new SdpException(lineNumber, "attribute without a name");
        }
        Attribute attribute = new Attribute(name, content);
        String key = name.toLowerCase(Locale.ROOT);
        if (current == null) {
            attributes.add(attribute);
            if (key.equals("control")) {
                control = Optional.of(control(content));
            }
            return;
        }
        current.attributes.add(attribute);
        switch (key) {
            case "control" -> current.control = Optional.of(control(content));
            case "framerate" -> current.frameRate = OptionalDouble.of(frameRate(content));
            case "rtpmap" -> {
                if (current.isRtp()) {
                    RtpMap map = rtpMap(content);
                    current.rtpMaps.put(map.payloadType(), map);
                }
            }
            case "fmtp" -> {
                if (current.isRtp()) {
                    formatParameters(content);
                }
            }
            default -> { }
        }
    }

    private String control(String content) {
        if (content.isEmpty()) {
            throw new SdpException(lineNumber, "a=control without a URL");
        }
        return content;
    }

    private double frameRate(String content) {
        double rate;
        try {
            rate = Double.parseDouble(content);
        } catch (NumberFormatException e) {
            rate = Double.NaN;
        }
        if (!(rate > 0 && rate <= 1000) || !content.matches("[0-9.]+")) {
            throw new SdpException(lineNumber, "a=framerate \"" + excerpt(content) + "\" is not a rate up to 1000");
        }
        return rate;
    }

    // RFC 8866 section 6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
    private RtpMap rtpMap(String content) {
        String[] fields = content.split("\\s+", 2);
        int payloadType = payloadType(fields[0], "a=rtpmap");
        String[] encoding = fields.length < 2 ? new String[0] : fields[1].strip().split("/", 3);
        if (encoding.length < 2 || encoding[0].isEmpty() || !encoding[1].matches("\\d{1,9}")
                || Integer.parseInt(encoding[1]) == 0) {
            throw new SdpException(lineNumber, "a=rtpmap needs <payload type> <encoding>/<clock rate>, got \""
                    + excerpt(content) + "\"");
        }
        return new RtpMap(payloadType, encoding[0], Integer.parseInt(encoding[1]),
                encoding.length == 3 ? encoding[2] : "");
    }

    // RFC 8866 section 6.15: a=fmtp:<format> <parameters>; for H.264 (RFC 6184 section 8.1) name=value;...
    private void formatParameters(String content) {
        String[] fields = content.split("\\s+", 2);
        int payloadType = payloadType(fields[0], "a=fmtp");
        Map<String, String> parameters = new LinkedHashMap<>();
        if (fields.length == 2) {
            for (String parameter : fields[1].split(";")) {
                int equals = parameter.indexOf('=');
                String name = (equals < 0 ? parameter : parameter.substring(0, equals)).strip();
                if (!name.isEmpty()) {
                    parameters.put(name.toLowerCase(Locale.ROOT), equals < 0 ? "" : parameter.substring(equals + 1).strip());
                }
            }
        }
        current.formatParameters.put(payloadType, Map.copyOf(parameters));
    }

    private int payloadType(String text, String attribute) {
        int payloadType = payloadTypeOrMinus1(text);
        if (payloadType < 0) {
            throw new SdpException(lineNumber, attribute + " payload type \"" + excerpt(text) + "\" is not 0..127");
        }
        return payloadType;
    }

    static int payloadTypeOrMinus1(String text) {
        if (!text.matches("\\d{1,3}")) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value <= 127 ? value : -1;
    }

    private void endMedia() {
        if (current != null) {
            media.add(current.build());
            current = null;
        }
    }

    /** Enough of a bad value to recognize it, never a whole line of garbage. */
    static String excerpt(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static final class MediaBuilder {
        final String media;
        final int port;
        final String protocol;
        final List<String> formats;
        Optional<String> connection = Optional.empty();
        Optional<String> control = Optional.empty();
        OptionalDouble frameRate = OptionalDouble.empty();
        final Map<Integer, RtpMap> rtpMaps = new LinkedHashMap<>();
        final Map<Integer, Map<String, String>> formatParameters = new LinkedHashMap<>();
        final List<Attribute> attributes = new ArrayList<>();

        MediaBuilder(String media, int port, String protocol, List<String> formats) {
            this.media = media;
            this.port = port;
            this.protocol = protocol;
            this.formats = formats;
        }

        boolean isRtp() {
            return protocol.toUpperCase(Locale.ROOT).startsWith("RTP/");
        }

        MediaDescription build() {
            return new MediaDescription(media, port, protocol, formats, connection, control, rtpMaps,
                    formatParameters, frameRate, attributes);
        }
    }
}
