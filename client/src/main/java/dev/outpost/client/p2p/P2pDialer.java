package dev.outpost.client.p2p;

import dev.outpost.client.OutpostClient;
import dev.outpost.p2p.ice.IcePeer;
import dev.outpost.p2p.quic.QuicDialer;
import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.wire.p2p.P2pAnswer;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.IceCandidateView;
import dev.outpost.wire.p2p.P2pOffer;
import io.netty.handler.codec.quic.QuicChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a {@link P2pLink} to a recorder: offer with the host candidates, answer, both sides trickle the rest
 * (the viewer posts its server-reflexive candidates as STUN finds them, and long-polls the recorder's), ICE checks
 * until a pair is selected or {@link #ICE_BOUND} passes, then QUIC on the pair. Blocking; bounded at each step.
 */
public final class P2pDialer {
    /** How long ICE may take from the answer to a selected pair; past it the viewer stays where it is. */
    public static final Duration ICE_BOUND = Duration.ofSeconds(3);
    static final Duration QUIC_HANDSHAKE = Duration.ofSeconds(2);
    static final Duration POLL_WAIT = Duration.ofMillis(1000);
    /**
     * How long the offer waits for the viewer's server-reflexive candidate (one round trip to the STUN server), so
     * that it goes in the offer; past it, it is trickled. Only a site where UDP is blocked waits it all, and the
     * viewer is on another path meanwhile.
     */
    static final Duration REFLEXIVE_WAIT = Duration.ofMillis(250);
    /** Outpost's STUN port on the cloud's host (docs/p2p.md). */
    public static final int STUN_PORT = 3478;

    private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private P2pDialer() {
    }

    /**
     * @throws IOException when signalling, ICE (within {@code iceBound}) or QUIC fails, saying which
     */
    public static P2pLink dial(OutpostClient cloud, String recorderId, Duration iceBound)
            throws IOException, InterruptedException {
        P2pSignalling signalling = new P2pSignalling(cloud, recorderId);
        long start = System.nanoTime();
        QuicIdentity identity = QuicIdentity.generate();
        IcePeer peer = new IcePeer(true, stunServer(cloud));
        long gathered = System.nanoTime();
        String sessionId = null;
        try {
            ViewerTrickle trickle = new ViewerTrickle(signalling::candidates);
            peer.trickle(trickle::found);
            List<IceCandidateView> candidates = new ArrayList<>(peer.hostCandidates());
            candidates.addAll(trickle.forOffer(candidates.size(), REFLEXIVE_WAIT));
            P2pAnswer answer = signalling.offer(new P2pOffer(peer.localCredentials(), identity.fingerprint(), candidates));
            sessionId = answer.sessionId();
            long answered = System.nanoTime();
            peer.remoteCredentials(answer.credentials());
            peer.addRemote(answer.candidates());
            String session = sessionId;
            trickle.started(session);
            peer.start();
            // The TLS context and codec take some 40 ms: made while ICE runs, not after it
            CompletableFuture<QuicDialer> preparing = CompletableFuture.supplyAsync(
                    () -> QuicDialer.prepare(identity, answer.fingerprint()), VIRTUAL);
            Thread poller = Thread.ofVirtual().name("p2p-candidates").start(() ->
                    pollRecorderCandidates(signalling, session, peer, answer.candidates().size()));
            IcePeer.Selection selection;
            try {
                selection = peer.selected().get(iceBound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                preparing.thenAccept(QuicDialer::discard);
                throw new IOException("ICE found no working pair within " + iceBound.toMillis() + " ms");
            } catch (ExecutionException e) {
                preparing.thenAccept(QuicDialer::discard);
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } finally {
                poller.interrupt();
            }
            long selected = System.nanoTime();
            QuicChannel quic;
            try {
                quic = preparing.join().dial(selection, QUIC_HANDSHAKE);
            } catch (IOException | java.util.concurrent.CompletionException e) {
                throw new IOException("QUIC on the selected pair failed: " + e.getMessage(), e);
            }
            long connected = System.nanoTime();
            P2pLink.Setup setup = new P2pLink.Setup(Duration.ofNanos(gathered - start), Duration.ofNanos(answered - start),
                    Duration.ofNanos(selected - answered), Duration.ofNanos(connected - selected),
                    selection.localType() + " " + selection.local() + " -> " + selection.remoteType() + " "
                            + selection.remote(), selection.remote());
            return new P2pLink(peer, quic, signalling, sessionId, setup);
        } catch (IOException | RuntimeException e) {
            peer.close();
            if (sessionId != null) {
                String session = sessionId;
                Thread.ofVirtual().start(() -> {
                    try {
                        signalling.close(session);
                    } catch (IOException | RuntimeException ignored) {
                        // the recorder closes it when it times out
                    }
                });
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private static void pollRecorderCandidates(P2pSignalling signalling, String sessionId, IcePeer peer, int known) {
        int after = known;
        while (!Thread.currentThread().isInterrupted() && !peer.selected().isDone()) {
            try {
                P2pCandidates more = signalling.recorderCandidates(sessionId, after, POLL_WAIT);
                after += more.candidates().size();
                peer.addRemote(more.candidates());
                if (more.complete()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    /** The cloud's host on {@link #STUN_PORT}; empty (host candidates only) when it does not resolve. */
    private static Optional<InetSocketAddress> stunServer(OutpostClient cloud) {
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(cloud.cloud().getHost()), STUN_PORT));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
