package dev.outpost.cloud.clips;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.api.ApiCall;
import dev.outpost.cloud.api.ApiReply;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.links.LinkRegistry;
import dev.outpost.cloud.outbox.LinkCalls;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.wire.api.ClipShareRequest;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.json.Json;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The clip library and clip export as the cloud's API serves them (docs/api.md, "Clip export"): exports are asked of
 * the recorder over its link with a grant signed for the user with the {@code export} right; clips are listed,
 * played and downloaded (with {@code Range}), deleted and shared from the library.
 */
public final class ClipApi {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 256 * 1024;

    private final Clips clips;
    private final CloudAccess access;
    private final RecorderDirectory recorders;
    private final LinkRegistry links;
    private final GrantIssuer grants;

    public ClipApi(Clips clips, CloudAccess access, RecorderDirectory recorders, LinkRegistry links,
                   GrantIssuer grants) {
        this.clips = clips;
        this.access = access;
        this.recorders = recorders;
        this.links = links;
        this.grants = grants;
    }

    public ApiRouter addTo(ApiRouter router) {
        return router
                .add(HttpMethod.POST, "/api/recorders/{id}/exports", this::export)
                .add(HttpMethod.GET, "/api/recorders/{id}/exports/{export}", this::exportStatus)
                .add(HttpMethod.GET, "/api/clips", call -> ApiReply.ok(clips.list(user(call),
                        query(call, "recorder"), query(call, "camera"), limit(call))))
                .add(HttpMethod.GET, "/api/clips/usage", call -> ApiReply.ok(clips.usage(user(call))))
                .add(HttpMethod.GET, "/api/clips/{id}", call -> ApiReply.ok(clips.find(user(call), call.param(0))
                        .view()))
                .add(HttpMethod.GET, "/api/clips/{id}/video\\.mp4", call -> video(call,
                        clips.find(user(call), call.param(0))))
                .add(HttpMethod.DELETE, "/api/clips/{id}", call -> {
                    clips.delete(user(call), call.param(0));
                    return ApiReply.noContent();
                })
                .add(HttpMethod.POST, "/api/clips/{id}/shares", call -> ApiReply.created(clips.share(user(call),
                        call.param(0), call.body().length == 0 ? 0 : call.body(ClipShareRequest.class).minutes())))
                .add(HttpMethod.GET, "/api/shared/{token}/video\\.mp4", call -> video(call,
                        clips.shared(call.param(0))));
    }

    private AuthenticatedUser user(ApiCall call) {
        return access.user(call.sessionToken());
    }

    /** {@code POST /api/recorders/{id}/exports}: the recorder's own answer, status and all. */
    private ApiReply export(ApiCall call) {
        AuthenticatedUser user = user(call);
        String recorderId = managedRecorder(user, call.param(0));
        LinkCalls.Answer answer = callRecorder(user, recorderId, HttpMethod.POST, "/api/exports", call.body());
        return recorderAnswer(answer);
    }

    private ApiReply exportStatus(ApiCall call) {
        AuthenticatedUser user = user(call);
        String recorderId = managedRecorder(user, call.param(0));
        String exportId = call.param(1);
        if (!exportId.matches("[0-9a-f]{16}")) {
            throw ApiFailure.notFound("no export " + exportId);
        }
        return recorderAnswer(callRecorder(user, recorderId, HttpMethod.GET, "/api/exports/" + exportId, new byte[0]));
    }

    private String managedRecorder(AuthenticatedUser user, String recorderId) {
        if (!recorders.mayAccess(user, recorderId)) {
            throw ApiFailure.notFound("no recorder " + recorderId + " in your organization");
        }
        Clips.requireManager(user);
        return recorderId;
    }

    private LinkCalls.Answer callRecorder(AuthenticatedUser user, String recorderId, HttpMethod method, String path,
                                          byte[] body) {
        String grant = grants.issue(user.userId(), recorderId, Set.of(Grant.EXPORT)).token();
        return LinkCalls.callForApi(links, recorderId, method, path, grant, body, MAX_ANSWER, CALL_TIMEOUT);
    }

    /** The recorder's JSON answer as it is: an {@code ExportView}, or its error with its status and code. */
    private static ApiReply recorderAnswer(LinkCalls.Answer answer) {
        if (answer.status() >= 400) {
            Map<?, ?> error;
            try {
                error = Json.read(answer.body(), Map.class);
            } catch (RuntimeException e) {
                error = Map.of("error", "recorder-refused", "message",
                        new String(answer.body(), StandardCharsets.UTF_8));
            }
            throw new ApiFailure(answer.status(), String.valueOf(error.get("error")),
                    String.valueOf(error.get("message")));
        }
        return ApiReply.bytes("application/json", answer.body()).withStatus(
                HttpResponseStatus.valueOf(answer.status()));
    }

    /** The clip's MP4, whole or the range asked, streamed from the object store. */
    private ApiReply video(ApiCall call, Clips.Clip clip) {
        Optional<ClipRange> range = ClipRange.parse(call.headers().get("Range"), clip.bytes());
        long first = range.map(ClipRange::first).orElse(0L);
        long length = range.map(ClipRange::length).orElse(clip.bytes());
        ApiReply reply = new ApiReply(range.isPresent() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK,
                new ApiReply.Streamed("video/mp4", length, (offset, max) -> clips.read(clip, first + offset, max)),
                Map.of())
                .withHeader("Accept-Ranges", "bytes")
                .withHeader("Cache-Control", "private, max-age=3600");
        if (range.isPresent()) {
            reply = reply.withHeader("Content-Range", "bytes " + range.get().first() + "-" + range.get().last() + "/"
                    + clip.bytes());
        }
        if (query(call, "download").isPresent()) {
            reply = reply.withHeader("Content-Disposition", "attachment; filename=\"" + clip.cameraId() + "-"
                    + clip.startsAt().toString().replace(':', '-') + ".mp4\"");
        }
        return reply;
    }

    private static Optional<String> query(ApiCall call, String name) {
        List<String> values = call.query().get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? Optional.empty()
                : Optional.of(values.getFirst());
    }

    private static int limit(ApiCall call) {
        Optional<String> text = query(call, "limit");
        if (text.isEmpty()) {
            return 0;
        }
        try {
            int limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= Clips.MAX_LIST) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiFailure.badRequest("bad-parameter", "limit: '" + text.get() + "' is not from 1 to " + Clips.MAX_LIST);
    }
}
