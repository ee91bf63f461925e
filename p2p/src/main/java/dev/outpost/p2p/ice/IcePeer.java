package dev.outpost.p2p.ice;

import dev.outpost.wire.p2p.IceCandidateView;
import dev.outpost.wire.p2p.IceCredentials;
import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.StunCandidateHarvester;

/**
 * One side of one ICE session (RFC 8445): an ice4j agent with one UDP component. Host candidates are known when
 * it is made; server-reflexive ones (from Outpost's STUN server) are gathered afterwards and trickled
 * (RFC 8838) through {@link #trickle}. Remote candidates may be added before and after {@link #start}. Once a
 * pair is selected, {@link #selected()} completes with the component's socket, on which only datagrams of the
 * selected pair arrive and through which sends go to it; ice4j's consent freshness (RFC 7675, a STUN Binding
 * about every 15 s) keeps the NAT mappings on the way open.
 */
public final class IcePeer implements AutoCloseable {
    static {
        IceSettings.apply();
    }

    /** The selected pair: the socket to run QUIC on and the peer's address on it. */
    public record Selection(DatagramSocket socket, InetSocketAddress local, InetSocketAddress remote,
                            String localType, String remoteType) {
    }

    private static final String STREAM = "outpost";
    /**
     * SO_RCVBUF of each host candidate's socket. QUIC sends a congestion window's worth of video at once, which
     * arrives at line rate; the kernel's default (about 208 KiB, some 90 datagrams once its overhead is counted)
     * overflows on such a burst, and QUIC then halves its window. The kernel caps it at {@code net.core.rmem_max}.
     */
    static final int RECEIVE_BUFFER = 2 * 1024 * 1024;
    private final Agent agent;
    private final Component component;
    private final CompletableFuture<Selection> selected = new CompletableFuture<>();

    /**
     * Gathers the host candidates (binding a UDP port per usable address) and prepares gathering the
     * server-reflexive ones.
     *
     * @param controlling whether this side nominates (RFC 8445 section 6.1.1): the viewer, which starts
     * @param stun        Outpost's STUN server, for server-reflexive candidates; empty for host candidates only
     */
    public IcePeer(boolean controlling, Optional<InetSocketAddress> stun) throws IOException {
        agent = new Agent();
        agent.setControlling(controlling);
        agent.setTrickling(true);
        agent.setPerformConsentFreshness(true);
        stun.ifPresent(server -> agent.addCandidateHarvester(new StunCandidateHarvester(
                new TransportAddress(server, Transport.UDP))));
        IceMediaStream stream = agent.createMediaStream(STREAM);
        try {
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
            for (LocalCandidate candidate : component.getLocalCandidates()) {
                DatagramSocket socket = candidate.getDatagramSocket();
                if (socket != null) {
                    socket.setReceiveBufferSize(RECEIVE_BUFFER);
                }
            }
        } catch (IOException | RuntimeException e) {
            agent.free();
            throw e;
        }
        agent.addStateChangeListener(this::stateChanged);
    }

    public IceCredentials localCredentials() {
        return new IceCredentials(agent.getLocalUfrag(), agent.getLocalPassword());
    }

    /** The host candidates, known at once. */
    public List<IceCandidateView> hostCandidates() {
        return views(component.getLocalCandidates());
    }

    /**
     * Gathers the other candidates in the background; {@code found} hears each batch, then an empty list once
     * gathering is over (RFC 8838's end-of-candidates).
     */
    public void trickle(Consumer<List<IceCandidateView>> found) {
        agent.startCandidateTrickle(candidates -> {
            if (candidates == null) {
                found.accept(List.of());
            } else {
                List<IceCandidateView> views = views(candidates.stream()
                        .filter(c -> c.getType() != CandidateType.HOST_CANDIDATE).toList());
                if (!views.isEmpty()) {
                    found.accept(views);
                }
            }
        });
    }

    /** The other peer's credentials; before {@link #start}. */
    public void remoteCredentials(IceCredentials remote) {
        IceMediaStream stream = agent.getStream(STREAM);
        stream.setRemoteUfrag(remote.ufrag());
        stream.setRemotePassword(remote.password());
    }

    /** Adds the other peer's candidates, before or after {@link #start} (trickled). IPv6 ones are ignored. */
    public synchronized void addRemote(List<IceCandidateView> candidates) {
        boolean started = agent.isStarted();
        for (IceCandidateView view : candidates) {
            TransportAddress address = new TransportAddress(view.address(), view.port(), Transport.UDP);
            if (address.isIPv6()) {
                continue; // the lab and most sites are IPv4; ice4j gathers IPv4 only here (IceSettings)
            }
            RemoteCandidate candidate = new RemoteCandidate(address, component, type(view.type()),
                    view.foundation(), view.priority(), null);
            if (started) {
                component.addUpdateRemoteCandidates(candidate);
            } else {
                component.addRemoteCandidate(candidate);
            }
        }
        if (started) {
            component.updateRemoteCandidates();
        }
    }

    /** Starts the connectivity checks (RFC 8445 section 6.1.4). */
    public synchronized void start() {
        agent.startConnectivityEstablishment();
    }

    /** Completes when a pair is selected; fails when ICE fails. */
    public CompletableFuture<Selection> selected() {
        return selected;
    }

    public String state() {
        return agent.getState().toString();
    }

    private void stateChanged(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED) {
            CandidatePair pair = component.getSelectedPair();
            if (pair != null) {
                selected.complete(new Selection(component.getSocket(),
                        pair.getLocalCandidate().getTransportAddress(),
                        pair.getRemoteCandidate().getTransportAddress(),
                        pair.getLocalCandidate().getType().toString(),
                        pair.getRemoteCandidate().getType().toString()));
                return;
            }
        }
        if (state == IceProcessingState.FAILED || state == IceProcessingState.TERMINATED) {
            selected.completeExceptionally(new IOException("ICE " + state + ": no candidate pair works"));
        }
    }

    private static List<IceCandidateView> views(Collection<LocalCandidate> candidates) {
        List<IceCandidateView> views = new ArrayList<>();
        for (LocalCandidate candidate : candidates) {
            TransportAddress address = candidate.getTransportAddress();
            String type = switch (candidate.getType()) {
                case HOST_CANDIDATE -> IceCandidateView.HOST;
                case SERVER_REFLEXIVE_CANDIDATE -> IceCandidateView.SERVER_REFLEXIVE;
                case PEER_REFLEXIVE_CANDIDATE -> IceCandidateView.PEER_REFLEXIVE;
                default -> null; // relayed: Outpost runs no TURN
            };
            if (type == null || address.isIPv6() || address.getTransport() != Transport.UDP) {
                continue;
            }
            views.add(new IceCandidateView(type, address.getHostAddress(), address.getPort(), candidate.getPriority(),
                    candidate.getFoundation()));
        }
        return views;
    }

    private static CandidateType type(String view) {
        return switch (view) {
            case IceCandidateView.HOST -> CandidateType.HOST_CANDIDATE;
            case IceCandidateView.SERVER_REFLEXIVE -> CandidateType.SERVER_REFLEXIVE_CANDIDATE;
            default -> CandidateType.PEER_REFLEXIVE_CANDIDATE;
        };
    }

    /** Frees the agent: its sockets close, and so does the selected socket. */
    @Override
    public void close() {
        selected.completeExceptionally(new IOException("the ICE session was closed"));
        agent.free();
    }
}
