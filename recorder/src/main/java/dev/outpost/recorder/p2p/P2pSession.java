package dev.outpost.recorder.p2p;

import dev.outpost.p2p.ice.IcePeer;
import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.p2p.quic.QuicListener;
import dev.outpost.wire.p2p.IceCandidateView;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer's P2P session on the recorder: the controlled side of ICE, the recorder's candidates as they are
 * gathered (for the viewer to fetch), and once a pair is selected a QUIC listener on it that accepts only the
 * certificate named in the viewer's offer, with the recorder's HTTP/1.1 API on each stream. Thread-safe: signalling requests, ice4j's threads and the sweeper all touch it.
 */
final class P2pSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pSession.class);

    private final String id;
    private final String userId;
    private final IcePeer peer;
    private final Clock clock;
    private final Instant created;
    private final List<IceCandidateView> local = new ArrayList<>();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger openStreams = new AtomicInteger();
    /** A viewer has a few addresses; more candidates than this only grow ICE's check list. */
    static final int MAX_REMOTE_CANDIDATES = 32;
    private int remoteCount;
    private boolean gathered;
    private volatile Instant lastActive;
    private volatile QuicListener listener;
    private volatile boolean established;
    private volatile boolean closed;

    private P2pSession(String id, String userId, IcePeer peer, Clock clock) {
        this.id = id;
        this.userId = userId;
        this.peer = peer;
        this.clock = clock;
        this.created = clock.instant();
        this.lastActive = created;
    }

    /** Answers {@code offer}: binds the host candidates, starts gathering the others and the checks. Blocking. */
    static P2pSession start(String id, String userId, P2pOffer offer, Optional<InetSocketAddress> stun,
                            QuicIdentity identity, Consumer<Channel> api, Clock clock, Runnable onEstablished)
            throws IOException {
        IcePeer peer = new IcePeer(false, stun);
        P2pSession session = new P2pSession(id, userId, peer, clock);
        try {
            session.found(peer.hostCandidates());
            peer.remoteCredentials(offer.credentials());
            session.remoteCount = offer.candidates().size();
            peer.addRemote(offer.candidates());
            peer.trickle(session::found);
            peer.start();
        } catch (RuntimeException e) {
            peer.close();
            throw new IOException("ICE could not start: " + e.getMessage(), e);
        }
        // The TLS context and codec take some 40 ms: made while ICE runs, not after it
        CompletableFuture<QuicListener> listening = CompletableFuture.supplyAsync(() -> {
            QuicListener listener = new QuicListener(identity, offer.fingerprint(), session.streams(api, onEstablished));
            session.listener = listener;
            if (session.closed) {
                listener.close();
            }
            return listener;
        }, VIRTUAL);
        peer.selected().thenCombine(listening, (selection, listener) -> {
            try {
                listener.start(selection);
                log.info("P2P session {} selected {} {} <-> {} {}", id, selection.localType(), selection.local(),
                        selection.remoteType(), selection.remote());
            } catch (IOException | RuntimeException e) {
                log.warn("P2P session {}: QUIC could not start on the selected pair: {}", id, e.toString());
                session.close();
            }
            return null;
        });
        return session;
    }

    /** Sets up each stream the viewer opens: counted for the idle sweep, then the API on it. */
    private Consumer<QuicStreamChannel> streams(Consumer<Channel> api, Runnable onEstablished) {
        return stream -> {
            openStreams.incrementAndGet();
            touch();
            if (!established) {
                established = true;
                onEstablished.run();
            }
            stream.closeFuture().addListener(f -> {
                openStreams.decrementAndGet();
                touch();
            });
            api.accept(stream);
        };
    }

    String id() {
        return id;
    }

    String userId() {
        return userId;
    }

    dev.outpost.wire.p2p.IceCredentials credentials() {
        return peer.localCredentials();
    }

    List<IceCandidateView> localCandidates() {
        synchronized (this) {
            return List.copyOf(local);
        }
    }

    /** The viewer's trickled candidates; past {@value #MAX_REMOTE_CANDIDATES} in all, the rest are ignored. */
    void addRemote(P2pCandidates candidates) {
        touch();
        List<IceCandidateView> accepted;
        synchronized (this) {
            int room = Math.max(0, MAX_REMOTE_CANDIDATES - remoteCount);
            accepted = candidates.candidates().subList(0, Math.min(room, candidates.candidates().size()));
            remoteCount += accepted.size();
        }
        peer.addRemote(accepted);
    }

    /**
     * The recorder's candidates from index {@code after} on; waits up to {@code wait} while there are none new and
     * gathering is not over.
     */
    CompletableFuture<P2pCandidates> candidatesAfter(int after, Duration wait) {
        touch();
        CompletableFuture<Void> changed;
        synchronized (this) {
            if (after < local.size() || gathered || closed) {
                return CompletableFuture.completedFuture(slice(after));
            }
            changed = new CompletableFuture<>();
            waiters.add(changed);
        }
        return changed.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(unused -> {
                    synchronized (this) {
                        waiters.remove(changed);
                        return slice(after);
                    }
                });
    }

    private P2pCandidates slice(int after) {
        List<IceCandidateView> fresh = after >= local.size() ? List.of() : List.copyOf(local.subList(after, local.size()));
        return new P2pCandidates(fresh, gathered);
    }

    private void found(List<IceCandidateView> candidates) {
        List<CompletableFuture<Void>> wake;
        synchronized (this) {
            if (candidates.isEmpty()) {
                gathered = true;
            } else {
                // The viewer takes at most 16 per answer: keep what fits in one
                int room = Math.max(0, P2pOffer.MAX_CANDIDATES - local.size());
                local.addAll(candidates.subList(0, Math.min(candidates.size(), room)));
            }
            wake = List.copyOf(waiters);
            waiters.clear();
        }
        wake.forEach(w -> w.complete(null));
    }

    private void touch() {
        lastActive = clock.instant();
    }

    /** Whether the sweeper should close it: never established within {@code setup}, or idle past {@code idle}. */
    boolean expired(Instant now, Duration setup, Duration idle) {
        if (closed) {
            return true;
        }
        if (peer.selected().isCompletedExceptionally()) {
            return true;
        }
        if (!established) {
            return now.isAfter(created.plus(setup));
        }
        return openStreams.get() == 0 && now.isAfter(lastActive.plus(idle));
    }

    boolean established() {
        return established;
    }

    @Override
    public void close() {
        closed = true;
        QuicListener quic = listener;
        if (quic != null) {
            quic.close();
        }
        peer.close();
        found(List.of());
    }
}
