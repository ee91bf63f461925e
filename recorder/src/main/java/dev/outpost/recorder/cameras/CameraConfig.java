package dev.outpost.recorder.cameras;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One camera as the installer configures it: its id, a name people read, the RTSP URLs of its main (HD)
 * and sub (SD) streams with their credentials, and how RTP should travel.
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

    /** @throws IllegalArgumentException naming the field that is wrong and what it should look like */
    public CameraConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("camera id must be 1 to 64 letters, digits, '-' or '_' (starting with "
                    + "a letter or digit), not " + (id == null ? "missing" : "\"" + id + "\""));
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("camera " + id + ": name is missing");
        }
        name = name.strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("camera " + id + ": name must be at most " + MAX_NAME
                    + " characters without control characters");
        }
        checkUrl(id, "mainUrl", mainUrl);
        checkUrl(id, "subUrl", subUrl);
        Objects.requireNonNull(transport, () -> "camera " + id + ": transport is missing (auto, tcp or udp)");
    }

    /** A camera with the default transport. */
    public CameraConfig(String id, String name, URI mainUrl, URI subUrl) {
        this(id, name, mainUrl, subUrl, RtpTransport.AUTO);
    }

    /** The URL of one of its streams. */
    public URI url(StreamKind kind) {
        return kind == StreamKind.MAIN ? mainUrl : subUrl;
    }

    /** Never shows a password: logs and error messages print configurations. */
    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", name=" + name + ", mainUrl=" + redact(mainUrl) + ", subUrl="
                + redact(subUrl) + ", transport=" + transport.label() + "]";
    }

    /** The URL with the password, if any, replaced by {@code ***}: what logs and status may show. */
    public static String redact(URI url) {
        String userInfo = url.getRawUserInfo();
        if (userInfo == null) {
            return url.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***";
        return url.toString().replace(userInfo + "@", shown + "@");
    }

    private static void checkUrl(String id, String field, URI url) {
        if (url == null) {
            throw new IllegalArgumentException("camera " + id + ": " + field + " is missing (rtsp://host/path)");
        }
        if (!"rtsp".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("camera " + id + ": " + field + " must start with rtsp://, not "
                    + (url.getScheme() == null ? "\"" + redact(url) + "\"" : url.getScheme() + "://"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("camera " + id + ": " + field + " has no host: " + redact(url)
                    + " (write rtsp://[user:password@]host[:port]/path)");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("camera " + id + ": " + field + " cannot have a #fragment: "
                    + redact(url));
        }
    }
}
