package dev.outpost.wire.api;

/** A user as the API shows it. {@code role} is {@code admin}, {@code installer} or {@code viewer}. */
public record UserView(String id, String email, String role, String organizationId, String organizationName) {
}
