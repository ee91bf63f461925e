package dev.outpost.recorder.api;

import dev.outpost.recorder.exports.ClipExports;
import dev.outpost.recorder.exports.ExportRefused;
import dev.outpost.wire.api.ExportRequest;
import dev.outpost.wire.json.Json;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code POST /api/exports} asks for a clip (docs/api.md, "Clip export"), {@code GET /api/exports[/{id}]} shows how
 * exports stand. Checking a request reads the recording index, so it runs on a virtual thread.
 */
final class ExportEndpoints {
    static final int MAX_BODY = 16 * 1024;

    private ExportEndpoints() {
    }

    /** -> 202 and the export's {@code ExportView}. */
    static void start(RecorderApi api, ApiCall call) throws ApiRefusal {
        ClipExports exports = exports(api);
        call.readBody(MAX_BODY, body -> {
            ExportRequest request;
            try {
                request = Json.read(body, ExportRequest.class);
            } catch (RuntimeException e) {
                throw new ApiRefusal(400, "bad-body", "the body is not an ExportRequest {cameraId, ranges: [{start,"
                        + " end}], quality}");
            }
            api.blocking().execute(() -> {
                try {
                    call.json(HttpResponseStatus.ACCEPTED, exports.start(request));
                } catch (ExportRefused e) {
                    call.refuse(switch (e.reason()) {
                        case BAD_EXPORT -> new ApiRefusal(400, "bad-export", e.getMessage());
                        case NO_SUCH_CAMERA -> new ApiRefusal(404, "not-found", e.getMessage());
                        case NOT_RECORDED -> new ApiRefusal(404, "not-recorded", e.getMessage());
                        case OUTBOX_FULL -> new ApiRefusal(507, "outbox-full", e.getMessage());
                        case TOO_MANY_EXPORTS -> new ApiRefusal(429, "too-many-exports", e.getMessage());
                    });
                } catch (RuntimeException e) {
                    call.fail(e);
                }
            });
        });
    }

    static void list(RecorderApi api, ApiCall call) throws ApiRefusal {
        call.json(HttpResponseStatus.OK, exports(api).list());
    }

    static void find(RecorderApi api, ApiCall call) throws ApiRefusal {
        String id = call.param(0);
        call.json(HttpResponseStatus.OK, exports(api).find(id).orElseThrow(() -> new ApiRefusal(404, "not-found",
                "no export " + id + " (the recorder remembers its last exports until it restarts)")));
    }

    private static ClipExports exports(RecorderApi api) throws ApiRefusal {
        return api.exports().orElseThrow(() -> new ApiRefusal(503, "unavailable",
                "this recorder cannot export clips yet"));
    }
}
