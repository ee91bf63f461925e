package dev.outpost.client.p2p;

import dev.outpost.wire.p2p.IceCandidateView;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The viewer's gathered candidates on their way to the recorder. Those found before the offer goes (its
 * server-reflexive one, some 40 ms after start: one round trip to the STUN server) ride in the offer, so that the
 * recorder checks them at once rather than a relayed round trip later; those found after it are posted as they come
 * (RFC 8838), once the session exists. Thread-safe: ice4j's harvester threads call {@link #found}.
 */
final class ViewerTrickle {
    /** Sends a batch to the recorder's session ({@link P2pSignalling#candidates}). */
    interface Post {
        void send(String sessionId, P2pCandidates candidates) throws IOException;
    }

    private final Post poster;
    private final List<IceCandidateView> waiting = new ArrayList<>();
    private boolean complete;
    private String sessionId;

    ViewerTrickle(Post poster) {
        this.poster = poster;
    }

    /** From ice4j: a batch of candidates, or an empty one at the end of gathering. */
    void found(List<IceCandidateView> candidates) {
        String session;
        synchronized (this) {
            if (candidates.isEmpty()) {
                complete = true;
            } else {
                waiting.addAll(candidates);
            }
            notifyAll();
            session = sessionId;
        }
        if (session != null) {
            post(session);
        }
    }

    /**
     * Waits up to {@code bound} for the first gathered candidate or the end of gathering, then takes what was found
     * for the offer (at most what fits beside {@code hosts} host candidates).
     */
    synchronized List<IceCandidateView> forOffer(int hosts, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (waiting.isEmpty() && !complete) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        int room = Math.max(0, P2pOffer.MAX_CANDIDATES - hosts);
        List<IceCandidateView> taken = List.copyOf(waiting.subList(0, Math.min(room, waiting.size())));
        waiting.clear();
        return taken;
    }

    /** The session exists: what was found after the offer goes now, and the rest as it comes. */
    void started(String session) {
        synchronized (this) {
            sessionId = session;
        }
        post(session);
    }

    /** Posts what waits (and the end of gathering once), in the background; ICE fails without them, no worse. */
    private void post(String session) {
        List<IceCandidateView> batch;
        boolean end;
        synchronized (this) {
            batch = List.copyOf(waiting.subList(0, Math.min(P2pOffer.MAX_CANDIDATES, waiting.size())));
            waiting.subList(0, batch.size()).clear();
            end = complete && waiting.isEmpty();
            if (end) {
                complete = false; // said once
            }
        }
        if (batch.isEmpty() && !end) {
            return;
        }
        Thread.ofVirtual().name("p2p-trickle").start(() -> {
            try {
                poster.send(session, new P2pCandidates(batch, end));
            } catch (IOException | RuntimeException ignored) {
                // ICE fails without them, and the viewer stays on its path
            }
        });
    }
}
