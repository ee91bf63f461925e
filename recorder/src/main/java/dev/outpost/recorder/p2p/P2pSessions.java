package dev.outpost.recorder.p2p;

import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.wire.p2p.P2pAnswer;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's P2P sessions (docs/p2p.md, "Signalling"): at most {@value #MAX_SESSIONS} at once (more are refused
 * with 503, so a viewer stays on the relay); one that has not carried a QUIC stream within {@link #SETUP_LIMIT}, or
 * has had none open for {@link #IDLE_LIMIT}, is closed by a sweeper every few seconds. A session belongs to the
 * user whose grant opened it: another user's requests for it get 404.
 */
public final class P2pSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pSessions.class);
    static final int MAX_SESSIONS = 8;
    static final Duration SETUP_LIMIT = Duration.ofSeconds(20);
    static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    /** How long an answer waits for the recorder's server-reflexive candidate; only a site without UDP waits it all. */
    static final Duration REFLEXIVE_WAIT = Duration.ofMillis(250);
    /** The longest a viewer's {@code GET candidates} waits for new ones. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final QuicIdentity identity = QuicIdentity.generate();
    private final Supplier<Optional<InetSocketAddress>> stun;
    private final Consumer<Channel> api;
    private final Clock clock;
    private final Map<String, P2pSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong established = new AtomicLong();

    /**
     * @param stun   Outpost's STUN server (the cloud's host, UDP 3478), looked up when a session starts; empty
     *               for host candidates only
     * @param api    sets up the recorder's API on each QUIC stream a viewer opens
     */
    public P2pSessions(Supplier<Optional<InetSocketAddress>> stun, Consumer<Channel> api, Clock clock) {
        this.stun = stun;
        this.api = api;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("p2p-sweeper")
                .factory());
        sweeper.scheduleWithFixedDelay(this::sweep, 2, 2, TimeUnit.SECONDS);
    }

    /** Answers a viewer's offer with a new session. Blocking (binds sockets, may look up the STUN server). */
    public P2pAnswer open(String userId, P2pOffer offer) throws P2pSessionRefused {
        if (sessions.size() >= MAX_SESSIONS) {
            throw new P2pSessionRefused(P2pSessionRefused.Reason.BUSY, "this recorder has " + MAX_SESSIONS
                    + " peer-to-peer sessions already; stay on the relay");
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        P2pSession session;
        long start = System.nanoTime();
        try {
            session = P2pSession.start(id, userId, offer, stun.get(), identity, api, clock, established::incrementAndGet);
        } catch (IOException e) {
            throw new P2pSessionRefused(P2pSessionRefused.Reason.UNAVAILABLE, "peer-to-peer could not start: " + e.getMessage());
        }
        sessions.put(id, session);
        // The recorder's server-reflexive candidate (one round trip to the STUN server) goes in the answer, so that
        // the viewer checks it at once rather than a relayed poll later; past the bound it is trickled.
        session.candidatesAfter(session.localCandidates().size(), REFLEXIVE_WAIT).join();
        started.incrementAndGet();
        log.info("P2P session {} answered in {} ms", id, (System.nanoTime() - start) / 1_000_000);
        return new P2pAnswer(id, session.credentials(), identity.fingerprint(), session.localCandidates());
    }

    /** The viewer's trickled candidates for its session. */
    public void addCandidates(String userId, String sessionId, P2pCandidates candidates) throws P2pSessionRefused {
        find(userId, sessionId).addRemote(candidates);
    }

    /** The recorder's candidates from index {@code after} on, waiting at most {@code wait} for new ones. */
    public CompletableFuture<P2pCandidates> candidates(String userId, String sessionId, int after, Duration wait)
            throws P2pSessionRefused {
        Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        return find(userId, sessionId).candidatesAfter(after, bounded);
    }

    /** Ends a session at the viewer's word. */
    public void close(String userId, String sessionId) throws P2pSessionRefused {
        P2pSession session = find(userId, sessionId);
        sessions.remove(sessionId, session);
        session.close();
    }

    private P2pSession find(String userId, String sessionId) throws P2pSessionRefused {
        P2pSession session = sessions.get(sessionId);
        if (session == null || !session.userId().equals(userId)) {
            throw new P2pSessionRefused(P2pSessionRefused.Reason.NO_SUCH_SESSION, "no peer-to-peer session " + sessionId
                    + " (it ended or timed out: start a new one)");
        }
        return session;
    }

    /** Sessions open now. */
    public int size() {
        return sessions.size();
    }

    /** Sessions answered since start. */
    public long started() {
        return started.get();
    }

    /** Sessions that carried a QUIC stream since start. */
    public long established() {
        return established.get();
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> {
            if (!session.expired(now, SETUP_LIMIT, IDLE_LIMIT)) {
                return false;
            }
            log.info("P2P session {} closed: {}", session.id(), session.established() ? "idle" : "not established");
            session.close();
            return true;
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.values().forEach(P2pSession::close);
        sessions.clear();
    }
}
