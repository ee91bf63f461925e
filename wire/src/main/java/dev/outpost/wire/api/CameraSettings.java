package dev.outpost.wire.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code POST /api/cameras} and {@code PUT /api/cameras/{id}} on a recorder: one camera as its
 * installer sets it up. Fields left out of the JSON read as empty.
 *
 * @param id        letters, digits, '-' and '_', at most 64, starting with a letter or digit; in a PUT it may be
 *                  left out, and otherwise must be the path's
 * @param name      what people call it, 1 to 100 characters
 * @param mainUrl   {@code rtsp://host[:port]/path} of the main (HD) stream
 * @param subUrl    the same for the sub (SD) stream
 * @param username  the camera account's user, empty for none
 * @param password  its password. Left out: none for a new camera, and the current one for a change, since the
 *                  API never shows it; empty: none
 * @param transport {@code auto} (the default, also when empty), {@code tcp} or {@code udp}
 */
public record CameraSettings(String id, String name, String mainUrl, String subUrl, String username,
                             Optional<String> password, String transport) {
    public CameraSettings {
        id = Objects.requireNonNullElse(id, "");
        name = Objects.requireNonNullElse(name, "");
        mainUrl = Objects.requireNonNullElse(mainUrl, "");
        subUrl = Objects.requireNonNullElse(subUrl, "");
        username = Objects.requireNonNullElse(username, "");
        password = Objects.requireNonNullElse(password, Optional.empty());
        transport = Objects.requireNonNullElse(transport, "");
    }

    /** Never shows the password: requests get logged when they go wrong. */
    @Override
    public String toString() {
        return "CameraSettings[id=" + id + ", name=" + name + ", mainUrl=" + mainUrl.replaceAll("//[^/]*@", "//***@")
                + ", subUrl=" + subUrl.replaceAll("//[^/]*@", "//***@") + ", username=" + username + ", password="
                + password.map(p -> "***").orElse("(unchanged)") + ", transport=" + transport + "]";
    }
}
