package dev.outpost.cli;

import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.InvalidCameraSetting;
import dev.outpost.recorder.cameras.RtpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code cameras:} list of a recorder's configuration file, one mapping per camera:
 *
 * <pre>{@code
 * cameras:
 *   - id: front
 *     name: Front door
 *     main-url: rtsp://192.168.1.20/Streaming/Channels/101
 *     sub-url: rtsp://192.168.1.20/Streaming/Channels/102
 *     username: admin          # optional
 *     password: "s3cret"       # optional
 *     transport: tcp           # optional: auto (default), tcp or udp
 * }</pre>
 *
 * Keys are spelled like the flags, and an unknown one is an error, so a typo does not silently drop a setting.
 */
final class ConfigFileCameras {
    private static final Set<String> KEYS = Set.of("id", "name", "main-url", "sub-url", "username", "password",
            "transport");

    private ConfigFileCameras() {
    }

    /**
     * @param yaml what the file has under {@code cameras:}
     * @param where how errors name the file
     * @throws IllegalArgumentException naming the camera's place in the list and the key at fault, never a password
     */
    static List<CameraConfig> parse(Object yaml, String where) {
        if (!(yaml instanceof List<?> entries)) {
            throw new IllegalArgumentException(where + ": cameras must be a list of cameras (- id: ..., name: ..., "
                    + "main-url: ..., sub-url: ...)");
        }
        List<CameraConfig> cameras = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = where + ": cameras[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(at + " must be a mapping of id, name, main-url, sub-url, and "
                        + "optionally username, password, transport");
            }
            for (Object key : entry.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(at + ": unknown key '" + key + "'; a camera has id, name, "
                            + "main-url, sub-url, username, password and transport");
                }
            }
            cameras.add(camera(entry, at));
        }
        return List.copyOf(cameras);
    }

    private static CameraConfig camera(Map<?, ?> entry, String at) {
        Optional<String> username = text(entry, "username", at);
        Optional<String> password = text(entry, "password", at);
        try {
            if (password.isPresent() && username.isEmpty()) {
                throw new InvalidCameraSetting("username", "a password is set without a username");
            }
            Optional<CameraConfig.Credentials> credentials = username.map(user ->
                    new CameraConfig.Credentials(user, password.orElse("")));
            RtpTransport transport = RtpTransport.AUTO;
            Optional<String> label = text(entry, "transport", at);
            if (label.isPresent()) {
                try {
                    transport = RtpTransport.fromLabel(label.get());
                } catch (IllegalArgumentException e) {
                    throw new InvalidCameraSetting("transport", e.getMessage());
                }
            }
            return CameraConfig.of(text(entry, "id", at).orElse(null), text(entry, "name", at).orElse(null),
                    text(entry, "main-url", at).orElse(null), text(entry, "sub-url", at).orElse(null), credentials,
                    transport);
        } catch (InvalidCameraSetting e) {
            throw new IllegalArgumentException(at + "." + key(e.field()) + ": " + e.getMessage(), e);
        }
    }

    /** A scalar setting as text: YAML reads {@code id: 7} as a number, which is fine as an id. */
    private static Optional<String> text(Map<?, ?> entry, String key, String at) {
        Object value = entry.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(at + "." + key + " must be a single value, not a list or mapping");
        }
        return Optional.of(String.valueOf(value));
    }

    /** The file's key for a camera setting the recorder names. */
    private static String key(String field) {
        return switch (field) {
            case "mainUrl" -> "main-url";
            case "subUrl" -> "sub-url";
            default -> field;
        };
    }
}
