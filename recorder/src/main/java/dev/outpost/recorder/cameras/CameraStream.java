package dev.outpost.recorder.cameras;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.sdp.H264Track;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP stream of one camera, kept playing for as long as it exists: it connects, plays, hands each
 * picture to its {@link VideoSink}s, and after any failure tells them and tries again, with exponential
 * backoff and jitter, forever, until {@link #close}.
 *
 * <p>Everything happens on one event loop of the group it is given, so sinks are called there, in order
 * (see {@link VideoSink}). Sinks may be added and removed from any thread. Presentation times grow across
 * reconnections (see {@link PtsTimeline}); counts in {@link #status} add up over all sessions.
 */
public final class CameraStream implements VideoSource {
    private static final Logger log = LoggerFactory.getLogger(CameraStream.class);

    /**
     * Timeouts and retry pacing.
     *
     * @param requestTimeout how long connecting and each RTSP answer may take
     * @param silence        how long a playing stream may go without an RTP packet before it counts as dead
     * @param firstRetry     the ceiling of the first retry's delay; it doubles with each failure in a row
     * @param longestRetry   the ceiling it stops doubling at; also the delay after a refusal that needs a person
     * @param healthy        a session that played this long resets the backoff
     */
    record Timing(Duration requestTimeout, Duration silence, Duration firstRetry, Duration longestRetry,
                  Duration healthy) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    private final String cameraId;
    private final StreamKind kind;
    private final URI url;
    private final String where;
    /** How failure messages name the camera: they go into the status of this very stream. */
    private final String peer;
    private final RtpTransport transport;
    private final EventLoop loop;
    private final Timing timing;
    private final Clock clock;
    private final SinkFanout sinks;
    private final RateWindow rates = new RateWindow();
    private final PtsTimeline timeline = new PtsTimeline();
    /** Completes once {@link #close} has run on the loop: after it, no sink hears from this stream again. */
    private final CompletableFuture<Void> closedOnLoop = new CompletableFuture<>();

    // Event loop only.
    private boolean started;
    private StreamSession session;
    private RtpReceiver receiver;
    private Instant playingSince;
    private long lastPacketNanos;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> watchdog;
    private String lastErrorLogged = "";
    /**
     * Failures since the last session that played for {@link Timing#healthy}: the backoff grows with it,
     * so a camera that accepts PLAY and drops every few seconds is not hammered.
     */
    private int backoffFailures;

    // Written on the event loop, read by status() on any thread.
    private volatile boolean closed;
    private volatile CameraStatus.State state = CameraStatus.State.CONNECTING;
    private volatile Instant since;
    private volatile Optional<String> lastError = Optional.empty();
    private volatile int failures;
    private volatile Optional<RtpTransport> usedTransport = Optional.empty();
    private volatile Optional<CameraStatus.Resolution> resolution = Optional.empty();
    private volatile RtpReceiver.Counts finished = RtpReceiver.Counts.ZERO;
    private volatile Optional<RtpReceiver> current = Optional.empty();

    /**
     * A stream; {@link #start} sets it going.
     *
     * @param url       {@code rtsp://[user:password@]host[:port]/path}
     * @param transport how RTP should travel
     * @param group     the stream takes one of its event loops
     */
    public CameraStream(String cameraId, StreamKind kind, URI url, RtpTransport transport, EventLoopGroup group) {
        this(cameraId, kind, url, transport, group, Timing.DEFAULT, Clock.systemUTC());
    }

    CameraStream(String cameraId, StreamKind kind, URI url, RtpTransport transport, EventLoopGroup group, Timing timing,
                 Clock clock) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.url = Objects.requireNonNull(url, "url");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.loop = group.next();
        this.timing = timing;
        this.clock = clock;
        this.where = "camera " + cameraId + " (" + kind.label() + ", " + CameraConfig.redact(url) + ")";
        this.sinks = new SinkFanout(where);
        this.peer = "the camera at " + url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : 554);
        this.since = clock.instant();
    }

    @Override
    public String cameraId() {
        return cameraId;
    }

    @Override
    public StreamKind kind() {
        return kind;
    }

    /** Starts connecting; does nothing if started or closed already. */
    @Override
    public void start() {
        loop.execute(() -> {
            if (!started && !closed) {
                started = true;
                connect();
            }
        });
    }

    /**
     * Adds a sink. It gets the stream's format first, if known, then every picture from the next on (a sink
     * that needs a keyframe to start waits for one).
     */
    @Override
    public void addSink(VideoSink sink) {
        Objects.requireNonNull(sink, "sink");
        loop.execute(() -> sinks.add(sink));
    }

    /** Removes a sink; it may still get a call already under way on the event loop. */
    @Override
    public void removeSink(VideoSink sink) {
        sinks.remove(sink);
    }

    /** A snapshot of the stream's state and measurements; callable from any thread. */
    @Override
    public CameraStatus status() {
        RtpReceiver.Counts counts = current.map(receiver -> finished.plus(receiver.counts())).orElse(finished);
        RateWindow.Rates measured = rates.rates(System.nanoTime());
        return new CameraStatus(state, since, lastError, failures, usedTransport, resolution,
                measured.framesPerSecond(), measured.bitsPerSecond(), counts.packets(), counts.lost(), counts.late(),
                counts.reordered(), counts.malformed(), counts.accessUnits(), counts.droppedAccessUnits(),
                current.flatMap(RtpReceiver::cameraClockOffset));
    }

    /** Stops for good: ends the session (with TEARDOWN), tells the sinks if it was playing, cancels retries. */
    @Override
    public void close() {
        closed = true;
        if (loop.isShuttingDown()) {
            state = CameraStatus.State.CLOSED; // its channels go with the loop
            closedOnLoop.complete(null);
            return;
        }
        loop.execute(() -> {
            if (retry != null) {
                retry.cancel(false);
            }
            StreamSession ending = session;
            if (ending != null) { // tells the sinks if it was playing, and closes the session (TEARDOWN)
                ended(ending, new StreamFailure(StreamFailure.Kind.CONNECTION_LOST, "stream closed"));
            }
            setState(CameraStatus.State.CLOSED);
            closedOnLoop.complete(null);
        });
    }

    /**
     * Completes once {@link #close} has taken effect: the session is torn down, the sinks were told of the
     * interruption if it was playing, and no sink will be called again. Whoever hands the same sinks to another
     * stream (a camera whose settings changed) waits for this, so the sinks never hear two streams at once.
     */
    public CompletionStage<Void> whenClosed() {
        return closedOnLoop.minimalCompletionStage();
    }

    private void connect() {
        if (closed) {
            return;
        }
        setState(CameraStatus.State.CONNECTING);
        Attempt listener = new Attempt();
        StreamSession attempt = new StreamSession(loop, url, peer, transport, timing.requestTimeout(), listener);
        listener.session = attempt;
        session = attempt;
        attempt.start().whenCompleteAsync((playing, error) -> {
            if (session != attempt) {
                attempt.close();
                return;
            }
            if (error != null) {
                attemptFailed(attempt, StreamFailure.of(error, peer));
                return;
            }
            playing(attempt);
        }, loop);
    }

    /** Hears one session; once another has replaced it, what it still hears is ignored. */
    private final class Attempt implements StreamSession.Listener {
        private StreamSession session;

        @Override
        public void track(H264Track track) {
            if (CameraStream.this.session == session) {
                beginSession(track);
            }
        }

        @Override
        public void rtp(ByteBuf packet) {
            if (CameraStream.this.session == session && receiver != null) {
                lastPacketNanos = System.nanoTime();
                receiver.interleaved(packet);
            }
        }

        @Override
        public void datagram(ByteBuf packet) {
            if (CameraStream.this.session == session && receiver != null) {
                lastPacketNanos = System.nanoTime();
                receiver.datagram(packet);
            }
        }

        @Override
        public void rtcp(ByteBuf packet) {
            if (CameraStream.this.session == session && receiver != null) {
                receiver.rtcp(packet); // not video: does not keep the silence watchdog quiet
            }
        }
    }

    private void beginSession(H264Track track) {
        retireReceiver();
        receiver = new RtpReceiver(track, loop, this::picture, where);
        current = Optional.of(receiver);
        timeline.newSession();
    }

    private void playing(StreamSession attempt) {
        playingSince = clock.instant();
        lastPacketNanos = System.nanoTime();
        usedTransport = Optional.of(attempt.transport());
        failures = 0;
        lastErrorLogged = "";
        setState(CameraStatus.State.STREAMING);
        log.info("{}: playing over {}", where, attempt.transport().label());
        long checkEvery = Math.max(100, timing.silence().toMillis() / 4);
        watchdog = loop.scheduleAtFixedRate(() -> {
            if (session == attempt && System.nanoTime() - lastPacketNanos > timing.silence().toNanos()) {
                attempt.abort(new StreamFailure(StreamFailure.Kind.TIMEOUT, "timeout: no video from " + peer + " for "
                        + timing.silence().toSeconds() + " s"));
            }
        }, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        attempt.ended().whenCompleteAsync((done, error) -> ended(attempt, StreamFailure.of(error, peer)), loop);
    }

    /** A playing session ended: tell the sinks, then try again. */
    private void ended(StreamSession attempt, StreamFailure failure) {
        if (session != attempt) {
            return;
        }
        boolean healthy = playingSince != null
                && Duration.between(playingSince, clock.instant()).compareTo(timing.healthy()) >= 0;
        playingSince = null;
        if (state == CameraStatus.State.STREAMING) {
            sinks.onInterruption(failure.getMessage());
        }
        if (healthy) {
            backoffFailures = 0; // it ran long enough: whatever was wrong is over
        }
        attemptFailed(attempt, failure);
    }

    private void attemptFailed(StreamSession attempt, StreamFailure failure) {
        if (session != attempt) {
            return;
        }
        session = null;
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        attempt.close();
        retireReceiver();
        rates.clear();
        usedTransport = Optional.empty();
        if (closed) {
            return;
        }
        failures++;
        backoffFailures++;
        lastError = Optional.of(failure.getMessage());
        boolean needsAttention = failure.kind().needsAttention();
        // Cameras lock an account after a few wrong passwords: a refusal waits the longest interval.
        Duration ceiling = needsAttention ? timing.longestRetry() : ceiling(backoffFailures);
        long delay = ceiling.toMillis() / 2 + ThreadLocalRandom.current().nextLong(ceiling.toMillis() / 2 + 1);
        setState(needsAttention ? CameraStatus.State.FAILED : CameraStatus.State.RETRYING);
        if (failure.getMessage().equals(lastErrorLogged)) {
            log.info("{}: {} (again, {} failures in a row); retrying in {} ms", where, failure.getMessage(), failures, delay);
        } else {
            log.warn("{}: {}; retrying in {} ms", where, failure.getMessage(), delay);
            lastErrorLogged = failure.getMessage();
        }
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Exponential: firstRetry after one failure, doubling, up to longestRetry. */
    private Duration ceiling(int failuresInARow) {
        int doublings = Math.min(failuresInARow - 1, 20);
        long millis = Math.min(timing.longestRetry().toMillis(), timing.firstRetry().toMillis() << doublings);
        return Duration.ofMillis(millis);
    }

    private void retireReceiver() {
        if (receiver != null) {
            receiver.stop();
            finished = finished.plus(receiver.counts());
            current = Optional.empty();
            receiver = null;
        }
    }

    /** A picture from the depacketizer, on the event loop. */
    private void picture(AccessUnit unit) {
        Optional<StreamFormat> now = receiver.streamFormat();
        if (now.isPresent() && !now.equals(sinks.format())) {
            StreamFormat announced = now.get();
            resolution = Optional.of(new CameraStatus.Resolution(announced.width(), announced.height()));
            sinks.onFormat(announced);
        }
        AccessUnit out = new AccessUnit(timeline.map(unit.pts90k(), unit.captureMicros()), unit.captureMicros(),
                unit.keyframe(), unit.avcc());
        rates.add(System.nanoTime(), out.size());
        sinks.onAccessUnit(out);
    }

    private void setState(CameraStatus.State next) {
        if (state != next) {
            state = next;
            since = clock.instant();
        }
    }

    @Override
    public String toString() {
        return "CameraStream[" + where + ", " + state + "]";
    }
}
