package dev.outpost.recorder.cameras;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One camera as the installer configures it: its id, a name people read, the RTSP URLs of its main (HD)
 * and sub (SD) streams with their credentials, and how RTP should travel.
 *
 * <p>Credentials live in the URLs' user info ({@code rtsp://user:password@host/path}), where the RTSP client
 * takes them from; {@link #of} puts separately given ones there, and {@link #credentials} and {@link #bareUrl}
 * take them apart again for what may be shown.
 *
 * @param id        short and stable: letters, digits, '-' and '_', at most 64; names the camera in the API
 * @param name      what people call it ("Front door"), at most 100 characters
 * @param mainUrl   {@code rtsp://[user:password@]host[:port]/path} of the HD stream
 * @param subUrl    the same for the SD stream
 * @param transport {@link RtpTransport#AUTO} unless the camera needs otherwise
 */
public record CameraConfig(String id, String name, URI mainUrl, URI subUrl, RtpTransport transport) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final int MAX_NAME = 100;
    /** Longer than any camera's URL; bounds what a config file or request can make us keep. */
    static final int MAX_URL = 2048;

    /** @throws InvalidCameraSetting naming the field that is wrong and what it should look like */
    public CameraConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidCameraSetting("id", "camera id must be 1 to 64 letters, digits, '-' or '_' (starting with "
                    + "a letter or digit), not " + (id == null ? "missing" : "\"" + printable(id, 80) + "\""));
        }
        if (name == null || name.isBlank()) {
            throw new InvalidCameraSetting("name", "camera " + id + ": name is missing");
        }
        name = name.strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidCameraSetting("name", "camera " + id + ": name must be at most " + MAX_NAME
                    + " characters without control characters");
        }
        checkUrl(id, "mainUrl", mainUrl);
        checkUrl(id, "subUrl", subUrl);
        if (transport == null) {
            throw new InvalidCameraSetting("transport", "camera " + id + ": transport is missing (auto, tcp or udp)");
        }
    }

    /** A camera with the default transport. */
    public CameraConfig(String id, String name, URI mainUrl, URI subUrl) {
        this(id, name, mainUrl, subUrl, RtpTransport.AUTO);
    }

    /**
     * The user and password a camera asks for. Both streams use the same ones: they are one device's account.
     *
     * @param username 1 to 128 characters, no control characters
     * @param password up to 256 characters, no control characters; empty for none
     */
    public record Credentials(String username, String password) {
        private static final int MAX_USERNAME = 128;
        private static final int MAX_PASSWORD = 256;

        public Credentials {
            if (username == null || username.isEmpty() || username.length() > MAX_USERNAME
                    || username.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidCameraSetting("username", "username must be 1 to " + MAX_USERNAME
                        + " characters without control characters");
            }
            Objects.requireNonNull(password, "password");
            if (password.length() > MAX_PASSWORD || password.chars().anyMatch(Character::isISOControl)) {
                // Never echo it, not even a part: it may be a real password with one typo.
                throw new InvalidCameraSetting("password", "password must be at most " + MAX_PASSWORD
                        + " characters without control characters");
            }
        }

        /** Never shows the password: logs print configurations. */
        @Override
        public String toString() {
            return "Credentials[" + username + ", ***]";
        }
    }

    /**
     * A camera from separate settings, as the config file and the API give them.
     *
     * @param mainUrl     text of the main stream's URL; it may carry credentials only if {@code credentials} is empty
     * @param credentials put into both URLs, percent-encoded
     * @throws InvalidCameraSetting naming the field that is wrong
     */
    public static CameraConfig of(String id, String name, String mainUrl, String subUrl,
                                  Optional<Credentials> credentials, RtpTransport transport) {
        String label = id == null ? "camera" : "camera " + printable(id, 80);
        URI main = withCredentials(label, "mainUrl", parseUrl(label, "mainUrl", mainUrl), credentials);
        URI sub = withCredentials(label, "subUrl", parseUrl(label, "subUrl", subUrl), credentials);
        return new CameraConfig(id, name, main, sub, transport);
    }

    /** The URL of one of its streams, with credentials if it has any: what the RTSP client connects to. */
    public URI url(StreamKind kind) {
        return kind == StreamKind.MAIN ? mainUrl : subUrl;
    }

    /** The URL of one of its streams without user info: what the API and logs may show. */
    public URI bareUrl(StreamKind kind) {
        URI url = url(kind);
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawUserInfo().length() + 1)
                + Objects.toString(url.getRawPath(), "") + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The credentials in the main stream's URL, if any (the sub stream's are the same unless configured apart). */
    public Optional<Credentials> credentials() {
        String userInfo = mainUrl.getRawUserInfo();
        if (userInfo == null) {
            return Optional.empty();
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        try {
            return Optional.of(new Credentials(user, password));
        } catch (InvalidCameraSetting e) {
            return Optional.empty(); // a URL from a flag with odd user info: the RTSP client still uses it as it is
        }
    }

    /** Never shows a password: logs and error messages print configurations. */
    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", name=" + name + ", mainUrl=" + redact(mainUrl) + ", subUrl="
                + redact(subUrl) + ", transport=" + transport.label() + "]";
    }

    /** The URL with the password, if any, replaced by {@code ***}: what logs and status may show. */
    public static String redact(URI url) {
        // From the authority rather than getRawUserInfo(): a password with a raw '@' makes the URI keep its
        // authority unparsed, with no user info, and the password would show.
        String authority = url.getRawAuthority();
        if (authority == null || authority.lastIndexOf('@') < 0) {
            return url.toString();
        }
        String userInfo = authority.substring(0, authority.lastIndexOf('@'));
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***";
        return url.toString().replace(userInfo + "@", shown + "@");
    }

    private static URI parseUrl(String label, String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidCameraSetting(field, label + ": " + field + " is missing (rtsp://host/path)");
        }
        if (text.length() > MAX_URL) {
            throw new InvalidCameraSetting(field, label + ": " + field + " is longer than " + MAX_URL + " characters");
        }
        try {
            return new URI(text.strip());
        } catch (URISyntaxException e) {
            // The reason and position, never the text: it may hold a password.
            throw new InvalidCameraSetting(field, label + ": " + field + " is not a URL (" + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + e.getIndex() : "")
                    + "); write rtsp://host[:port]/path, with characters such as spaces percent-encoded");
        }
    }

    private static URI withCredentials(String label, String field, URI url, Optional<Credentials> credentials) {
        if (credentials.isEmpty()) {
            return url;
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidCameraSetting(field, label + ": " + field + " has a user in it and username is set too: "
                    + "give the credentials one way, in username and password");
        }
        if (url.getRawAuthority() == null || url.getScheme() == null) {
            return url; // the canonical constructor says what is wrong with it
        }
        Credentials c = credentials.get();
        String userInfo = encode(c.username()) + (c.password().isEmpty() ? "" : ":" + encode(c.password()));
        return URI.create(url.getScheme() + "://" + userInfo + "@" + url.getRawAuthority()
                + Objects.toString(url.getRawPath(), "") + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** RFC 3986 section 2.1: everything but the unreserved characters is percent-encoded, so any password fits. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** As the RTSP client decodes user info: '+' is a plus, not a space. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String printable(String text, int max) {
        String shown = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > max ? shown.substring(0, max) + "..." : shown;
    }

    private static void checkUrl(String id, String field, URI url) {
        if (url == null) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " is missing (rtsp://host/path)");
        }
        if ("rtsps".equalsIgnoreCase(url.getScheme())) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " is rtsps://, which Outpost does "
                    + "not speak yet; use the camera's rtsp:// URL");
        }
        if (!"rtsp".equalsIgnoreCase(url.getScheme())) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " must start with rtsp://, not "
                    + (url.getScheme() == null ? "\"" + redact(url) + "\"" : url.getScheme() + "://"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " has no host: " + redact(url)
                    + " (write rtsp://[user:password@]host[:port]/path)");
        }
        if (url.getRawFragment() != null) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " cannot have a #fragment: "
                    + redact(url));
        }
        if (url.toString().length() > MAX_URL) {
            throw new InvalidCameraSetting(field, "camera " + id + ": " + field + " is longer than " + MAX_URL
                    + " characters");
        }
    }
}
