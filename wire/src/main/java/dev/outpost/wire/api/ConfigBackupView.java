package dev.outpost.wire.api;

import java.time.Instant;

/**
 * {@code GET /api/recorders/{id}/backups}: a config backup the cloud stored; its camera credentials stay sealed in
 * storage and never appear in the API.
 *
 * @param takenAt when the recorder took it, by its clock
 * @param cameras how many cameras it holds
 * @param bytes   its stored size
 */
public record ConfigBackupView(String id, String recorderId, Instant takenAt, Instant receivedAt, int cameras,
                               long bytes) {
}
