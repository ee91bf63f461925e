package dev.outpost.wire.api;

/** {@code PATCH /api/users/{id}} body (admins): the user's new role, {@code admin}, {@code installer} or {@code viewer}. */
public record UserChange(String role) {
}
