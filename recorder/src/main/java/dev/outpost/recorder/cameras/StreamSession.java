package dev.outpost.recorder.cameras;

import dev.outpost.media.rtsp.InterleavedFrame;
import dev.outpost.media.rtsp.RtspConnection;
import dev.outpost.media.rtsp.RtspResponse;
import dev.outpost.media.sdp.H264Track;
import dev.outpost.media.sdp.SessionDescription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One attempt to play one camera stream (RFC 2326): connect, DESCRIBE, pick the H.264 track, SETUP its
 * transport (interleaved TCP, or UDP when the camera refuses that, or when told to), PLAY, then keep the
 * session alive and hand every RTP packet over until the connection ends. A new attempt after a failure
 * is a new session. Everything runs on one event loop; {@link #close} may be called from any thread.
 */
final class StreamSession implements AutoCloseable {
    /** RFC 2326 section 12.37: the session timeout when SETUP's Session header does not say. */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern TIMEOUT = Pattern.compile(";\\s*timeout\\s*=\\s*(\\d{1,6})", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTERLEAVED = Pattern.compile(";\\s*interleaved\\s*=\\s*(\\d{1,3})(?:\\s*-\\s*(\\d{1,3}))?",
            Pattern.CASE_INSENSITIVE);

    /** What the session tells its stream, on the event loop. */
    interface Listener {
        /** The track to receive, after DESCRIBE and before SETUP: packets may follow PLAY's answer at once. */
        void track(H264Track track);

        /** One RTP packet from the RTSP connection (in order); the listener does not own the buffer. */
        void rtp(ByteBuf packet);

        /** One RTP packet from a UDP datagram (maybe out of order); the listener does not own the buffer. */
        void datagram(ByteBuf packet);

        /** One RTCP compound packet, from either transport; the listener does not own the buffer. */
        void rtcp(ByteBuf packet);
    }

    private final EventLoop loop;
    private final URI url;
    private final String where;
    private final RtpTransport transport;
    private final Duration timeout;
    private final Listener listener;
    private final CompletableFuture<StreamSession> playing = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private RtspConnection connection;
    private UdpReceiver udp;
    private int rtpChannel = 0;
    private int rtcpChannel = 1;
    private volatile RtpTransport used = RtpTransport.TCP;

    /**
     * @param where   how messages name the camera stream, without credentials
     * @param timeout for connecting and for each answer
     */
    StreamSession(EventLoop loop, URI url, String where, RtpTransport transport, Duration timeout, Listener listener) {
        this.loop = loop;
        this.url = url;
        this.where = where;
        this.transport = transport;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** Starts the attempt; completes once PLAY is answered, or exceptionally with a {@link StreamFailure}. */
    CompletableFuture<StreamSession> start() {
        RtspConnection.open(loop, url, this::frame, timeout).whenCompleteAsync((opened, error) -> {
            if (error != null) {
                fail(StreamFailure.of(error, where));
                return;
            }
            connection = opened;
            opened.closed().whenCompleteAsync((done, why) -> fail(why == null
                    ? new StreamFailure(StreamFailure.Kind.CONNECTION_LOST, "connection lost: the camera closed it")
                    : StreamFailure.of(why, where)), loop);
            if (closed.get()) {
                opened.close();
                return;
            }
            describe();
        }, loop);
        return playing;
    }

    /** Completes exceptionally with a {@link StreamFailure} when the session ends, whether it played or not. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** How RTP travels in this session: TCP or UDP. */
    RtpTransport transport() {
        return used;
    }

    /** Ends the session with {@code failure} as its reason (the stream saw no video, say). */
    void abort(StreamFailure failure) {
        loop.execute(() -> {
            fail(failure);
            close();
        });
    }

    /** Ends the session (TEARDOWN when the camera gave one); idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.execute(() -> {
            fail(new StreamFailure(StreamFailure.Kind.CONNECTION_LOST, "closed"));
            if (connection != null) {
                connection.close(); // sends TEARDOWN when a session exists
            }
            if (udp != null) {
                udp.close();
            }
        });
    }

    private void describe() {
        connection.send("DESCRIBE", connection.url().toString(), Map.of("Accept", "application/sdp"))
                .thenAcceptAsync(answer -> {
                    if (answer.status() != 200) {
                        fail(StreamFailure.of("DESCRIBE", answer, where));
                        return;
                    }
                    SessionDescription sdp = SessionDescription.parse(answer.bodyText());
                    String base = answer.header("Content-Base").or(() -> answer.header("Content-Location"))
                            .orElse(connection.url().toString());
                    H264Track track = sdp.videoTrack(base).orElseThrow(() -> new StreamFailure.Unchecked(
                            new StreamFailure(StreamFailure.Kind.UNSUPPORTED, "not H.264: " + where
                                    + " offers " + offered(sdp) + "; set the camera's encoder to H.264")));
                    if (track.packetizationMode() == 2) {
                        fail(new StreamFailure(StreamFailure.Kind.UNSUPPORTED, "not supported: " + where
                                + " sends H.264 in packetization-mode 2 (interleaved); Outpost takes modes 0 and 1"));
                        return;
                    }
                    listener.track(track);
                    String aggregate = sdp.aggregateControl(base);
                    if (transport == RtpTransport.UDP) {
                        setupUdp(track, aggregate);
                    } else {
                        setupTcp(track, aggregate);
                    }
                }, loop).exceptionally(this::failed);
    }

    private void setupTcp(H264Track track, String aggregate) {
        connection.send("SETUP", track.controlUrl(), Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"))
                .thenAcceptAsync(answer -> {
                    if (answer.status() == 461 && transport == RtpTransport.AUTO) {
                        setupUdp(track, aggregate); // RFC 2326 section 12.39: offer the other transport
                        return;
                    }
                    if (answer.status() != 200) {
                        fail(StreamFailure.of("SETUP over TCP", answer, where));
                        return;
                    }
                    Matcher channel = INTERLEAVED.matcher(answer.header("Transport").orElse(""));
                    if (channel.find()) { // the camera may pick other channels
                        rtpChannel = Integer.parseInt(channel.group(1));
                        // RFC 2326 section 12.39: "interleaved=4-5"; RTCP on the second, or the next one if absent
                        rtcpChannel = channel.group(2) != null ? Integer.parseInt(channel.group(2)) : rtpChannel + 1;
                    }
                    used = RtpTransport.TCP;
                    play(answer, aggregate);
                }, loop).exceptionally(this::failed);
    }

    private void setupUdp(H264Track track, String aggregate) {
        UdpReceiver.bind(loop, connection.remoteAddress().getAddress(), this::datagram, this::rtcp)
                .thenComposeAsync(receiver -> {
                    if (closed.get() || ended.isDone()) {
                        receiver.close();
                        return CompletableFuture.failedFuture(new StreamFailure(StreamFailure.Kind.CONNECTION_LOST, "closed"));
                    }
                    udp = receiver;
                    return connection.send("SETUP", track.controlUrl(), Map.of("Transport", receiver.transportRequest()));
                }, loop)
                .thenAcceptAsync(answer -> {
                    if (answer.status() != 200) {
                        fail(StreamFailure.of("SETUP over UDP", answer, where));
                        return;
                    }
                    used = RtpTransport.UDP;
                    play(answer, aggregate);
                }, loop).exceptionally(this::failed);
    }

    private void play(RtspResponse setup, String aggregate) {
        Duration sessionTimeout = sessionTimeout(setup.header("Session"));
        connection.send("PLAY", aggregate, Map.of("Range", "npt=0.000-")).thenAcceptAsync(answer -> {
            if (answer.status() != 200) {
                fail(StreamFailure.of("PLAY", answer, where));
                return;
            }
            connection.keepAlive(sessionTimeout.dividedBy(2));
            if (!ended.isDone()) {
                playing.complete(this);
            }
        }, loop).exceptionally(this::failed);
    }

    /** RFC 2326 section 12.37: {@code Session: id;timeout=seconds}, 60 s when absent or unusable. */
    static Duration sessionTimeout(Optional<String> session) {
        Matcher m = TIMEOUT.matcher(session.orElse(""));
        if (m.find()) {
            long seconds = Long.parseLong(m.group(1));
            if (seconds >= 2) {
                return Duration.ofSeconds(seconds);
            }
        }
        return DEFAULT_SESSION_TIMEOUT;
    }

    private void frame(InterleavedFrame frame) {
        try {
            if (closed.get()) {
                return;
            }
            if (frame.channel() == rtpChannel) {
                listener.rtp(frame.content());
            } else if (frame.channel() == rtcpChannel) {
                listener.rtcp(frame.content());
            } // other channels: nothing Outpost asked for
        } finally {
            frame.release();
        }
    }

    private void datagram(ByteBuf packet) {
        if (!closed.get()) {
            listener.datagram(packet);
        }
    }

    private void rtcp(ByteBuf packet) {
        if (!closed.get()) {
            listener.rtcp(packet);
        }
    }

    private Void failed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        fail(cause instanceof StreamFailure.Unchecked unchecked ? unchecked.failure() : StreamFailure.of(cause, where));
        if (connection != null) {
            connection.close();
        }
        return null;
    }

    private void fail(StreamFailure failure) {
        if (!playing.isDone()) {
            playing.completeExceptionally(failure);
            if (connection != null) {
                connection.close();
            }
            if (udp != null) {
                udp.close();
            }
        }
        if (ended.completeExceptionally(failure)) {
            if (udp != null) {
                udp.close();
            }
        }
    }

    private static String offered(SessionDescription sdp) {
        String formats = sdp.media().stream().filter(m -> m.media().equalsIgnoreCase("video"))
                .flatMap(m -> m.rtpMaps().values().stream()).map(map -> map.encoding())
                .distinct().collect(Collectors.joining(", "));
        return formats.isEmpty() ? "no video" : "video in " + formats;
    }
}
