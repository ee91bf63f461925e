package dev.outpost.cloud.backups;

import dev.outpost.cloud.api.ApiReply;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.wire.api.RestoreRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;

/** Config backups as the cloud's API serves them (docs/api.md, "Config backups"). */
public final class BackupApi {
    private final ConfigBackups backups;
    private final CloudAccess access;

    public BackupApi(ConfigBackups backups, CloudAccess access) {
        this.backups = backups;
        this.access = access;
    }

    public ApiRouter addTo(ApiRouter router) {
        return router
                .add(HttpMethod.GET, "/api/recorders/{id}/backups", call -> ApiReply.ok(
                        backups.list(access.user(call.sessionToken()), call.param(0))))
                .add(HttpMethod.POST, "/api/recorders/{id}/backups", call -> new ApiReply(
                        io.netty.handler.codec.http.HttpResponseStatus.ACCEPTED,
                        Map.of("key", backups.request(access.user(call.sessionToken()), call.param(0))), Map.of()))
                .add(HttpMethod.POST, "/api/recorders/{id}/restore", call -> ApiReply.ok(Map.of("cameras",
                        backups.restore(access.user(call.sessionToken()), call.body(RestoreRequest.class).backupId(),
                                call.param(0)))));
    }
}
