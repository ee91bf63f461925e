package dev.outpost.cloud.alerts;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.api.ApiCall;
import dev.outpost.cloud.api.ApiReply;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.images.CameraImages;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.wire.api.NewAlertRule;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What recorders reported, as the cloud's API serves it (docs/api.md, "Alerts"): alert history with alert images,
 * email rules, and day/night images.
 */
public final class AlertApi {
    static final int DEFAULT_LIMIT = 100;

    private final Alerts alerts;
    private final CameraImages images;
    private final CloudAccess access;

    public AlertApi(Alerts alerts, CameraImages images, CloudAccess access) {
        this.alerts = alerts;
        this.images = images;
        this.access = access;
    }

    public ApiRouter addTo(ApiRouter router) {
        return router
                .add(HttpMethod.GET, "/api/alerts", this::history)
                .add(HttpMethod.GET, "/api/alerts/{id}/image.jpg", call -> ApiReply.bytes("image/jpeg",
                        alerts.image(access.user(call.sessionToken()), call.param(0))))
                .add(HttpMethod.GET, "/api/alert-rules", call -> ApiReply.ok(alerts.rules(access.user(call.sessionToken()))))
                .add(HttpMethod.POST, "/api/alert-rules", call -> ApiReply.created(
                        alerts.addRule(access.user(call.sessionToken()), call.body(NewAlertRule.class))))
                .add(HttpMethod.GET, "/api/images", call -> ApiReply.ok(images.list(access.user(call.sessionToken()),
                        first(call, "recorder").filter(s -> !s.isEmpty()), first(call, "camera").filter(s -> !s.isEmpty()),
                        since(call), limit(call))))
                .add(HttpMethod.GET, "/api/images/{id}.jpg", call -> ApiReply.bytes("image/jpeg",
                        images.jpeg(access.user(call.sessionToken()), call.param(0))))
                .add(HttpMethod.DELETE, "/api/alert-rules/{id}", call -> {
                    alerts.removeRule(access.user(call.sessionToken()), call.param(0));
                    return ApiReply.noContent();
                });
    }

    private ApiReply history(ApiCall call) {
        var user = access.user(call.sessionToken());
        Optional<String> recorder = first(call, "recorder").filter(s -> !s.isEmpty());
        return ApiReply.ok(alerts.history(user, recorder, since(call), limit(call)));
    }

    private static Optional<Instant> since(ApiCall call) {
        return first(call, "since").map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiFailure.badRequest("bad-parameter", "since: not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
            }
        });
    }

    private static int limit(ApiCall call) {
        return first(call, "limit").map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw ApiFailure.badRequest("bad-parameter", "limit: not a number");
            }
        }).orElse(DEFAULT_LIMIT);
    }

    private static Optional<String> first(ApiCall call, String name) {
        List<String> values = call.query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst().strip());
    }
}
