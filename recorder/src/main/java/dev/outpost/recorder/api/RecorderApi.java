package dev.outpost.recorder.api;

import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.grant.GrantVerifier;
import io.netty.channel.ChannelHandler;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The recorder's HTTP API as one object: what every router needs (the grant verifier, the facts
 * {@code /api/info} tells, a clock, an executor for blocking work) and a factory of routers, one per
 * channel, for the local port and for each HTTP/2 stream of the link alike.
 */
public final class RecorderApi {
    private final GrantVerifier verifier;
    private final RecorderFacts facts;
    private final Clock clock;
    private final Executor blocking;
    private final ApiCounters counters = new ApiCounters();
    private final LiveHubs live;
    private volatile Supplier<List<CameraView>> cameras = List::of;
    private volatile Optional<CameraChanges> cameraChanges = Optional.empty();
    private final ApiRoutes routes;
    private volatile Optional<Recordings> recordings = Optional.empty();
    private volatile Optional<Outbox> outbox = Optional.empty();
    private volatile Optional<dev.outpost.recorder.backups.ConfigBackups> backups = Optional.empty();
    private volatile Optional<dev.outpost.recorder.exports.ClipExports> exports = Optional.empty();
    private volatile Optional<dev.outpost.recorder.p2p.P2pSessions> p2p = Optional.empty();

    /**
     * @param verifier checks every request's grant
     * @param facts    what {@code GET /api/info} says about this recorder
     * @param clock    for the {@code Date} of answers
     * @param blocking where endpoints run blocking work (file I/O, decoding), never on an event loop;
     *                 a virtual-thread executor ({@code Executors.newVirtualThreadPerTaskExecutor()})
     */
    public RecorderApi(GrantVerifier verifier, RecorderFacts facts, Clock clock, Executor blocking) {
        this(verifier, facts, clock, blocking, new LiveHubs());
    }

    /** @param live the live hubs of the recorder's cameras, which {@code /api/cameras/{id}/live.mp4} serves */
    public RecorderApi(GrantVerifier verifier, RecorderFacts facts, Clock clock, Executor blocking, LiveHubs live) {
        this.live = Objects.requireNonNull(live, "live");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.routes = ApiRoutes.of(this);
    }

    /** The API of an activated recorder: grants checked with the cloud key it learned at activation. */
    public static RecorderApi forIdentity(RecorderIdentity identity, String software, Clock clock, Executor blocking) {
        return forIdentity(identity, software, clock, blocking, new LiveHubs());
    }

    public static RecorderApi forIdentity(RecorderIdentity identity, String software, Clock clock, Executor blocking,
                                          LiveHubs live) {
        return new RecorderApi(new GrantVerifier(identity.grantPublicKey(), identity.recorderId(), clock),
                new RecorderFacts(identity.recorderId(), identity.name(), software, clock.instant()), clock, blocking, live);
    }

    /**
     * A new router for one channel: last in a pipeline that turns bytes into {@code HttpObject}s, that is
     * after {@code HttpServerCodec} on the local port, or after {@code Http2StreamFrameToHttpObjectCodec(true)}
     * on an HTTP/2 stream channel. Never share one between channels.
     */
    public ChannelHandler newRouter() {
        return new RecorderRouter(this);
    }

    public RecorderFacts facts() {
        return facts;
    }

    public ApiCounters counters() {
        return counters;
    }

    ApiRoutes routes() {
        return routes;
    }

    GrantVerifier verifier() {
        return verifier;
    }

    /** What {@code GET /api/cameras} answers; set once the recorder's cameras exist. */
    public void cameras(Supplier<List<CameraView>> views) {
        this.cameras = Objects.requireNonNull(views, "views");
    }

    /** What the timeline and playback endpoints read; set once the recorder records. */
    public void recordings(Recordings recordings) {
        this.recordings = Optional.of(recordings);
    }

    /** What the cloud takes alerts, images, backups and clips from ({@code /api/outbox}); set once the recorder has one. */
    public void outbox(Outbox outbox) {
        this.outbox = Optional.of(outbox);
    }

    Optional<Outbox> outbox() {
        return outbox;
    }

    /** What {@code POST /api/backups} and {@code PUT /api/config} use; set once the recorder has its outbox. */
    public void backups(dev.outpost.recorder.backups.ConfigBackups backups) {
        this.backups = Optional.of(backups);
    }

    Optional<dev.outpost.recorder.backups.ConfigBackups> backups() {
        return backups;
    }

    /** What {@code /api/exports} makes clips with; set once the recorder has its outbox. */
    public void exports(dev.outpost.recorder.exports.ClipExports exports) {
        this.exports = Optional.of(exports);
    }

    Optional<dev.outpost.recorder.exports.ClipExports> exports() {
        return exports;
    }

    /** The peer-to-peer sessions {@code /api/p2p/sessions} opens; set once the recorder offers P2P. */
    public void p2p(dev.outpost.recorder.p2p.P2pSessions sessions) {
        this.p2p = Optional.of(sessions);
    }

    Optional<dev.outpost.recorder.p2p.P2pSessions> p2p() {
        return p2p;
    }

    Optional<RecordingIndex> recordingIndex(String cameraId, StreamKind kind) {
        return recordings.flatMap(r -> r.index(cameraId, kind));
    }

    List<CameraView> cameras() {
        return cameras.get();
    }

    /**
     * What {@code POST}, {@code PUT} and {@code DELETE /api/cameras} change; set once the recorder's cameras exist.
     *
     * @param view how a camera is shown in the answer, as {@code GET /api/cameras} shows it
     */
    public void cameraSet(CameraSet set, Function<Camera, CameraView> view) {
        this.cameraChanges = Optional.of(new CameraChanges(Objects.requireNonNull(set, "set"),
                Objects.requireNonNull(view, "view")));
    }

    /** The cameras the API can change, and how it shows one. */
    record CameraChanges(CameraSet set, Function<Camera, CameraView> view) {
    }

    Optional<CameraChanges> cameraChanges() {
        return cameraChanges;
    }

    LiveHubs live() {
        return live;
    }

    Clock clock() {
        return clock;
    }

    Executor blocking() {
        return blocking;
    }
}
