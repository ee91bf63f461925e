package dev.outpost.cloud.alerts;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.api.ApiCall;
import dev.outpost.cloud.api.ApiReply;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.wire.api.NewAlertRule;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The alert routes of the cloud's API (docs/api.md, "Alerts"): history, images, email rules. */
public final class AlertApi {
    static final int DEFAULT_LIMIT = 100;

    private final Alerts alerts;
    private final CloudAccess access;

    public AlertApi(Alerts alerts, CloudAccess access) {
        this.alerts = alerts;
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
                .add(HttpMethod.DELETE, "/api/alert-rules/{id}", call -> {
                    alerts.removeRule(access.user(call.sessionToken()), call.param(0));
                    return ApiReply.noContent();
                });
    }

    private ApiReply history(ApiCall call) {
        var user = access.user(call.sessionToken());
        Optional<String> recorder = first(call, "recorder").filter(s -> !s.isEmpty());
        Optional<Instant> since = first(call, "since").map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiFailure.badRequest("bad-parameter", "since: not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
            }
        });
        int limit = first(call, "limit").map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw ApiFailure.badRequest("bad-parameter", "limit: not a number");
            }
        }).orElse(DEFAULT_LIMIT);
        return ApiReply.ok(alerts.history(user, recorder, since, limit));
    }

    private static Optional<String> first(ApiCall call, String name) {
        List<String> values = call.query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst().strip());
    }
}
