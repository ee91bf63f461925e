package dev.outpost.cloud.accounts;

import java.util.Locale;

/** What a user may do within their organization. */
public enum Role {
    /** Everything, including users and, in the first organization, other organizations. */
    ADMIN,
    /** Adds, renames and revokes recorders; views video. */
    INSTALLER,
    /** Views video. */
    VIEWER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("role must be admin, installer or viewer, not " + label);
        }
    }

    public boolean managesRecorders() {
        return this == ADMIN || this == INSTALLER;
    }
}
