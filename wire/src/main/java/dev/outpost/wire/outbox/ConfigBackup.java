package dev.outpost.wire.outbox;

import dev.outpost.wire.json.Json;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recorder's whole runtime configuration as a versioned JSON document (docs/link.md, "Config backups"): the
 * payload of a {@link OutboxKind#CONFIG_BACKUP} item and the body of a restore ({@code PUT /api/config}). Not the
 * recorder's identity, credential or keys, which belong to that one recorder.
 *
 * <p>Camera URLs carry the cameras' credentials. The recorder sends them in clear over its link (TLS); the cloud
 * seals them (AES-GCM) before the document reaches object storage and opens them only to push a restore.
 *
 * @param format     {@value #FORMAT}
 * @param recorderId the recorder it was taken of
 * @param takenAt    when (recorder clock)
 * @param cameras    the cameras, in order
 */
public record ConfigBackup(int format, String recorderId, Instant takenAt, List<Camera> cameras) {
    public static final int FORMAT = 1;
    /** Far more than 256 cameras take. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_CAMERAS = 256;
    private static final int MAX_FIELD = 2048;

    /**
     * One camera; {@code mainUrl} and {@code subUrl} hold its credentials, in clear or sealed.
     *
     * @param transport {@code tcp} or {@code udp}
     */
    public record Camera(String id, String name, String mainUrl, String subUrl, String transport) {
    }

    public ConfigBackup {
        // nulls kept for parse to name them
        cameras = cameras == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(cameras));
    }

    /** This document with the cameras' URLs replaced. */
    public ConfigBackup withCameras(List<Camera> replaced) {
        return new ConfigBackup(format, recorderId, takenAt, replaced);
    }

    public byte[] toJson() {
        return Json.write(this);
    }

    /**
     * Reads and checks a document: bounded, every field present and short, camera ids unique.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static ConfigBackup parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("config backup: " + json.length + " bytes, more than " + MAX_BYTES);
        }
        ConfigBackup backup;
        try {
            backup = Json.read(json, ConfigBackup.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config backup: not a JSON document of this shape");
        }
        if (backup == null) {
            throw new IllegalArgumentException("config backup: empty");
        }
        if (backup.format() != FORMAT) {
            throw new IllegalArgumentException("config backup: format " + backup.format() + " is not " + FORMAT);
        }
        check("recorderId", backup.recorderId());
        if (backup.takenAt() == null) {
            throw new IllegalArgumentException("config backup: takenAt missing");
        }
        List<Camera> cameras = backup.cameras();
        if (cameras.size() > MAX_CAMERAS) {
            throw new IllegalArgumentException("config backup: cameras: " + cameras.size() + ", more than "
                    + MAX_CAMERAS);
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            Camera c = cameras.get(i);
            String at = "cameras[" + i + "]";
            if (c == null) {
                throw new IllegalArgumentException("config backup: " + at + " is null");
            }
            check(at + ".id", c.id());
            check(at + ".name", c.name());
            check(at + ".mainUrl", c.mainUrl());
            check(at + ".subUrl", c.subUrl());
            check(at + ".transport", c.transport());
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("config backup: " + at + ".id repeats an earlier camera's id");
            }
        }
        return backup;
    }

    private static void check(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("config backup: " + field + " missing");
        }
        if (value.length() > MAX_FIELD) {
            throw new IllegalArgumentException("config backup: " + field + " longer than " + MAX_FIELD);
        }
    }
}
