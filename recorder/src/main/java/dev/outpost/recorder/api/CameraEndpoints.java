package dev.outpost.recorder.api;

import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraRefused;
import dev.outpost.recorder.cameras.InvalidCameraSetting;
import dev.outpost.recorder.cameras.RtpTransport;
import dev.outpost.wire.api.CameraSettings;
import dev.outpost.wire.json.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * {@code POST /api/cameras}, {@code PUT /api/cameras/{id}} and {@code DELETE /api/cameras/{id}}: add, change and
 * remove a camera. The body is read on the event loop; the change itself (a file write, streams closing, a
 * recording's last write) runs on a virtual thread and answers from there.
 */
final class CameraEndpoints {
    private static final Logger log = LoggerFactory.getLogger(CameraEndpoints.class);
    /** A camera's settings take well under 8 KiB (two URLs of at most 2 KiB, a name, credentials). */
    static final int MAX_BODY = 16 * 1024;

    private CameraEndpoints() {
    }

    /** {@code POST /api/cameras}: a new camera -> 201 and its view. */
    static void add(RecorderApi api, ApiCall call) throws ApiRefusal {
        RecorderApi.CameraChanges changes = changes(api);
        call.readBody(MAX_BODY, body -> {
            CameraSettings settings = parse(body);
            CameraConfig config = config(settings, settings.id(), Optional.empty());
            api.blocking().execute(() -> answer(call, () -> {
                Camera camera = changes.set().add(config);
                call.json(HttpResponseStatus.CREATED, changes.view().apply(camera));
            }));
        });
    }

    /** {@code PUT /api/cameras/{id}}: new settings for a camera -> 200 and its view; its streams restart. */
    static void change(RecorderApi api, ApiCall call) throws ApiRefusal {
        RecorderApi.CameraChanges changes = changes(api);
        String id = call.param(0);
        call.readBody(MAX_BODY, body -> {
            CameraSettings settings = parse(body);
            if (!settings.id().isEmpty() && !settings.id().equals(id)) {
                throw new ApiRefusal(400, "bad-camera", "id: the body's id " + settings.id() + " is not the path's "
                        + id + "; a camera's id cannot change: remove it and add a new one");
            }
            Optional<CameraConfig> current = changes.set().find(id).map(Camera::config);
            if (current.isEmpty()) {
                throw ApiRoutes.noCamera(id);
            }
            CameraConfig config = config(settings, id, current);
            api.blocking().execute(() -> answer(call, () -> {
                Camera camera = changes.set().change(config);
                call.json(HttpResponseStatus.OK, changes.view().apply(camera));
            }));
        });
    }

    /** {@code DELETE /api/cameras/{id}}: -> 204 once the camera is stopped; its recordings stay. */
    static void remove(RecorderApi api, ApiCall call) throws ApiRefusal {
        RecorderApi.CameraChanges changes = changes(api);
        String id = call.param(0);
        api.blocking().execute(() -> answer(call, () -> {
            changes.set().remove(id);
            call.empty(HttpResponseStatus.NO_CONTENT);
        }));
    }

    /** A camera's settings from the API's form; {@code current} gives the password a change leaves out. */
    static CameraConfig config(CameraSettings settings, String id, Optional<CameraConfig> current) throws ApiRefusal {
        try {
            Optional<CameraConfig.Credentials> credentials = Optional.empty();
            if (!settings.username().isEmpty()) {
                String password = settings.password().orElseGet(() -> current.flatMap(CameraConfig::credentials)
                        .map(CameraConfig.Credentials::password).orElse(""));
                credentials = Optional.of(new CameraConfig.Credentials(settings.username(), password));
            } else if (settings.password().filter(p -> !p.isEmpty()).isPresent()) {
                throw new InvalidCameraSetting("username", "username: a password was given without a username");
            }
            RtpTransport transport;
            try {
                transport = settings.transport().isEmpty() ? RtpTransport.AUTO
                        : RtpTransport.fromLabel(settings.transport());
            } catch (IllegalArgumentException e) {
                throw new InvalidCameraSetting("transport", e.getMessage());
            }
            return CameraConfig.of(id, settings.name(), settings.mainUrl(), settings.subUrl(), credentials, transport);
        } catch (InvalidCameraSetting e) {
            throw new ApiRefusal(400, "bad-camera", e.getMessage());
        }
    }

    private static CameraSettings parse(byte[] body) throws ApiRefusal {
        try {
            return Json.read(body, CameraSettings.class);
        } catch (JacksonException e) {
            // Where, never what: the text may be a password.
            throw new ApiRefusal(400, "bad-body", "the body is not a camera's settings as JSON (at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); see docs/api.md");
        } catch (RuntimeException e) {
            throw new ApiRefusal(400, "bad-body", "the body is not a camera's settings as JSON; see docs/api.md");
        }
    }

    private static RecorderApi.CameraChanges changes(RecorderApi api) throws ApiRefusal {
        return api.cameraChanges().orElseThrow(() -> new ApiRefusal(503, "unavailable",
                "this recorder cannot change its cameras yet"));
    }

    /** A change that may be refused or fail, run off the event loop; whatever happens, the call is answered. */
    private interface Change {
        void run() throws CameraRefused, IOException;
    }

    private static void answer(ApiCall call, Change change) {
        try {
            change.run();
        } catch (CameraRefused e) {
            call.refuse(switch (e.reason()) {
                case ID_TAKEN -> new ApiRefusal(409, "camera-exists", e.getMessage());
                case NO_SUCH_CAMERA -> new ApiRefusal(404, "not-found", e.getMessage());
                case TOO_MANY_CAMERAS -> new ApiRefusal(409, "too-many-cameras", e.getMessage());
            });
        } catch (IOException e) {
            log.error("cameras could not be saved", e);
            call.refuse(new ApiRefusal(500, "not-saved", "the recorder could not save its cameras (" + e.getMessage()
                    + "); nothing changed"));
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }
}
