package dev.outpost.wire.api;

/** {@code PATCH /api/recorders/{id}} body (admins and installers): the recorder's new name. */
public record RecorderChange(String name) {
}
