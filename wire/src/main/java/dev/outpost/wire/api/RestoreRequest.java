package dev.outpost.wire.api;

/**
 * {@code POST /api/recorders/{id}/restore}: which stored config backup (of any recorder of the organization) to
 * apply to recorder {@code id}.
 */
public record RestoreRequest(String backupId) {
}
