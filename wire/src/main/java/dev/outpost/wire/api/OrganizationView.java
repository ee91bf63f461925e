package dev.outpost.wire.api;

/** An organization: the unit that owns recorders and users. */
public record OrganizationView(String id, String name) {
}
