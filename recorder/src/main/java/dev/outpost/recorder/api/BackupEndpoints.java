package dev.outpost.recorder.api;

import dev.outpost.recorder.backups.ConfigBackups;
import dev.outpost.recorder.cameras.CameraRefused;
import dev.outpost.wire.outbox.ConfigBackup;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/backups}: a config backup now, into the outbox; {@code PUT /api/config}: a restored backup (its
 * camera URLs opened by the cloud) replaces the cameras (docs/link.md, "Config backups"). The work runs on a
 * virtual thread.
 */
final class BackupEndpoints {
    private BackupEndpoints() {
    }

    /** -> 202 and the backup's outbox key: it reaches the cloud with the outbox. */
    static void take(RecorderApi api, ApiCall call) throws ApiRefusal {
        ConfigBackups backups = backups(api);
        api.blocking().execute(() -> {
            try {
                call.json(HttpResponseStatus.ACCEPTED, Map.of("key", backups.take()));
            } catch (dev.outpost.recorder.outbox.OutboxFullException e) {
                call.refuse(new ApiRefusal(507, "outbox-full", e.getMessage()));
            } catch (IOException | RuntimeException e) {
                call.fail(e);
            }
        });
    }

    /** -> 200 and how many cameras now run. */
    static void restore(RecorderApi api, ApiCall call) throws ApiRefusal {
        ConfigBackups backups = backups(api);
        call.readBody(ConfigBackup.MAX_BYTES, body -> {
            ConfigBackup backup;
            try {
                backup = ConfigBackup.parse(body);
            } catch (IllegalArgumentException e) {
                throw new ApiRefusal(400, "bad-backup", e.getMessage());
            }
            api.blocking().execute(() -> {
                try {
                    call.json(HttpResponseStatus.OK, Map.of("cameras", backups.restore(backup).size()));
                } catch (IllegalArgumentException e) {
                    call.refuse(new ApiRefusal(400, "bad-backup", e.getMessage()));
                } catch (CameraRefused e) {
                    call.refuse(new ApiRefusal(409, "bad-backup", e.getMessage()));
                } catch (IOException e) {
                    call.refuse(new ApiRefusal(500, "not-saved", "the recorder could not save its cameras ("
                            + e.getMessage() + "); nothing changed"));
                } catch (RuntimeException e) {
                    call.fail(e);
                }
            });
        });
    }

    private static ConfigBackups backups(RecorderApi api) throws ApiRefusal {
        return api.backups().orElseThrow(() -> new ApiRefusal(503, "unavailable",
                "this recorder cannot take or restore backups yet"));
    }
}
