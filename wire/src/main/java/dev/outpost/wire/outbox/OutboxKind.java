package dev.outpost.wire.outbox;

import java.util.Locale;

/**
 * The kinds of outbox items, in the order a full outbox gives them up (docs/link.md, "Store and forward"):
 * day/night images first, then alert images (the alert stays), then backups and clip parts, alerts last.
 */
public enum OutboxKind {
    /** A camera's picture at a configured time of day. */
    DAY_NIGHT_IMAGE,
    /** A health alert, with an optional image of the camera concerned. */
    ALERT,
    /** The recorder's configuration. */
    CONFIG_BACKUP,
    /** A part of an exported clip. */
    CLIP_PART;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static OutboxKind fromLabel(String label) {
        for (OutboxKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no outbox item kind '" + label + "'");
    }
}
