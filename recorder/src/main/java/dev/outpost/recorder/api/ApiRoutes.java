package dev.outpost.recorder.api;

import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.live.LiveChannelWriter;
import dev.outpost.recorder.live.LiveHub;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.grant.Grant;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recorder's route table (docs/api.md, "Recorder"): finds the route of a request, or says why there is none
 * (404 for an unknown path, 405 with {@code Allow} for a known path asked with another method). Immutable; one per
 * {@link RecorderApi}.
 */
final class ApiRoutes {
    /** A route found for a request, with its path parameters. */
    record Found(Route route, List<String> params) {
    }

    private final List<Route> routes;

    ApiRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Every route of a recorder. */
    static ApiRoutes of(RecorderApi api) {
        String camera = "/api/cameras/" + Route.CAMERA_ID;
        return new ApiRoutes(List.of(
                Route.of(HttpMethod.GET, "/api/info", Grant.VIEW, call -> info(api, call)),
                Route.of(HttpMethod.GET, "/api/stream", Grant.VIEW, call -> pacedStream(api, call)),
                Route.of(HttpMethod.POST, "/api/echo", Grant.VIEW, ApiCall::echo),
                Route.of(HttpMethod.GET, "/api/cameras", Grant.VIEW,
                        call -> call.json(HttpResponseStatus.OK, api.cameras())),
                Route.of(HttpMethod.POST, "/api/cameras", Grant.ADMIN, call -> CameraEndpoints.add(api, call)),
                Route.of(HttpMethod.GET, camera, Grant.VIEW, call -> camera(api, call)),
                Route.of(HttpMethod.PUT, camera, Grant.ADMIN, call -> CameraEndpoints.change(api, call)),
                Route.of(HttpMethod.DELETE, camera, Grant.ADMIN, call -> CameraEndpoints.remove(api, call)),
                Route.of(HttpMethod.GET, camera + "/live\\.mp4", Grant.VIEW, call -> live(api, call)),
                Route.of(HttpMethod.GET, camera + "/recordings", Grant.VIEW, new RecordingsEndpoint(api)),
                Route.of(HttpMethod.GET, camera + "/playback\\.mp4", Grant.VIEW, new PlaybackEndpoint(api)),
                Route.of(HttpMethod.GET, camera + "/snapshot\\.jpg", Grant.VIEW, new SnapshotEndpoint(api)),
                Route.of(HttpMethod.POST, "/api/outbox/poll", Grant.OUTBOX, call -> OutboxEndpoints.poll(api, call)),
                Route.of(HttpMethod.GET, "/api/outbox/items/([0-9a-f]{32})/payload", Grant.OUTBOX,
                        call -> OutboxEndpoints.payload(api, call)),
                Route.of(HttpMethod.GET, "/api/outbox/items/([0-9a-f]{32})/parts/([0-9]{1,6})", Grant.OUTBOX,
                        call -> OutboxEndpoints.part(api, call)),
                Route.of(HttpMethod.POST, "/api/exports", Grant.EXPORT, call -> ExportEndpoints.start(api, call)),
                Route.of(HttpMethod.GET, "/api/exports", Grant.EXPORT, call -> ExportEndpoints.list(api, call)),
                Route.of(HttpMethod.GET, "/api/exports/([0-9a-f]{16})", Grant.EXPORT,
                        call -> ExportEndpoints.find(api, call)),
                Route.of(HttpMethod.GET, "/api/usage", Grant.VIEW, call -> OutboxEndpoints.usage(api, call)),
                Route.of(HttpMethod.POST, "/api/backups", Grant.ADMIN, call -> BackupEndpoints.take(api, call)),
                Route.of(HttpMethod.PUT, "/api/config", Grant.ADMIN, call -> BackupEndpoints.restore(api, call)),
                Route.of(HttpMethod.POST, P2pEndpoints.SESSIONS, Grant.VIEW, call -> P2pEndpoints.open(api, call)),
                Route.of(HttpMethod.POST, P2pEndpoints.SESSION + "/candidates", Grant.VIEW,
                        call -> P2pEndpoints.addCandidates(api, call)),
                Route.of(HttpMethod.GET, P2pEndpoints.SESSION + "/candidates", Grant.VIEW,
                        call -> P2pEndpoints.candidates(api, call)),
                Route.of(HttpMethod.DELETE, P2pEndpoints.SESSION, Grant.VIEW, call -> P2pEndpoints.close(api, call))));
    }

    Found find(HttpMethod method, String path) throws ApiRefusal {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<List<String>> params = route.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, params.get());
            }
            allowed.add(route.method().name());
        }
        if (allowed.isEmpty()) {
            throw ApiRefusal.notFound(path);
        }
        throw ApiRefusal.methodNotAllowed(method.name(), path, allowed.stream().collect(Collectors.joining(", ")));
    }

    private static void info(RecorderApi api, ApiCall call) {
        RecorderFacts facts = api.facts();
        call.json(HttpResponseStatus.OK, new RecorderInfo(facts.recorderId(), facts.name(), facts.software(),
                facts.startedAt(), call.grant().userId()));
    }

    /** {@code GET /api/stream}: deterministic paced bytes for tests and benchmarks. */
    private static void pacedStream(RecorderApi api, ApiCall call) throws ApiRefusal {
        StreamRequest query = StreamRequest.parse(call.queryParameters());
        HttpResponse head = new DefaultHttpResponse(call.request().protocolVersion(), HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        ResponseStream response = call.stream(head);
        PacedStream paced = new PacedStream(response.ctx(), query, api.counters(), response::end);
        response.onWritable(paced::writabilityChanged).onClosed(paced::stop);
        paced.start();
    }

    /** {@code GET /api/cameras/{id}}: one camera as {@code GET /api/cameras} shows it. */
    private static void camera(RecorderApi api, ApiCall call) throws ApiRefusal {
        String id = call.param(0);
        CameraView view = api.cameras().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> noCamera(id));
        call.json(HttpResponseStatus.OK, view);
    }

    /** {@code GET /api/cameras/{id}/live.mp4?stream=hd|sd}: the camera's live fMP4, from its latest keyframe on. */
    private static void live(RecorderApi api, ApiCall call) throws ApiRefusal {
        StreamKind kind = call.streamKind();
        LiveHub hub = api.live().find(call.param(0), kind).orElseThrow(() -> noCamera(call.param(0)));
        HttpResponse head = new DefaultHttpResponse(call.request().protocolVersion(), HttpResponseStatus.OK);
        head.headers().set(LiveChannelWriter.responseHead().headers());
        ResponseStream response = call.stream(head);
        // The body never ends while the camera lives: the exchange stays open until the viewer goes.
        LiveChannelWriter.attach(response.ctx().channel(), hub.subscribe(), LiveChannelWriter.Framing.HTTP,
                response::end); // a removed camera ends it, and the connection serves the next request
    }

    static ApiRefusal noCamera(String cameraId) {
        return new ApiRefusal(404, "not-found", "this recorder has no camera " + cameraId);
    }
}
