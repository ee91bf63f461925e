package dev.outpost.recorder.link;

import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkTransport;
import dev.outpost.wire.tls.TlsProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the recorder's one link to the cloud up, forever: dials, and when an attempt fails or the
 * link drops, waits with exponential backoff and full jitter and dials again, logging why each time.
 * It tries the direct HTTP/2 transport first and falls back to the WebSocket when the TLS peer refuses
 * the link's ALPN name; it keeps using whichever transport last worked. A permanent refusal by the
 * cloud (revoked, unknown recorder, wrong credential) stops it.
 */
public final class LinkConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkConnector.class);
    /** A link that stayed up this long resets the backoff. */
    static final Duration STABLE_AFTER = Duration.ofSeconds(60);

    private final LinkSettings settings;
    private final LinkTraffic traffic = new LinkTraffic();
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Clock clock;
    private final LinkTarget target;
    private final Backoff backoff;
    private final SslContext h2Tls;
    private final SslContext webSocketTls;

    // Confined to `loop`.
    private LinkTransport transport = LinkTransport.H2;
    private int failures;
    private boolean stopped;
    private ScheduledFuture<?> pending;
    private io.netty.channel.Channel current;
    private volatile LinkStatus status;
    private volatile boolean offersP2p;

    public LinkConnector(LinkSettings settings, EventLoopGroup group, Clock clock) throws SSLException {
        this.settings = settings;
        this.group = group;
        this.loop = group.next();
        this.clock = clock;
        this.target = LinkTarget.of(settings.cloud());
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax(), new SecureRandom());
        this.h2Tls = clientTls(settings, LinkProtocol.ALPN);
        this.webSocketTls = clientTls(settings, ApplicationProtocolNames.HTTP_1_1);
        this.status = new LinkStatus(LinkStatus.State.CONNECTING, clock.instant(), Optional.empty(),
                settings.proxy().isPresent(), Optional.empty(), Optional.empty(), 0);
    }

    private static SslContext clientTls(LinkSettings settings, String alpn) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(TlsProvider.netty())
                .trustManager(settings.trust())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                .build();
    }

    public void start() {
        loop.execute(this::dial);
    }

    /**
     * Dials with {@code first} until it fails in a way that calls for the other (for sites known to
     * need the WebSocket); the default is the direct HTTP/2 transport.
     */
    public void startWith(LinkTransport first) {
        loop.execute(() -> {
            transport = first;
            dial();
        });
    }

    /** What the link carried so far, for the data usage counts. */
    public LinkTraffic traffic() {
        return traffic;
    }

    /** Whether the next hellos say this recorder answers peer-to-peer signalling. */
    public void offerP2p(boolean offers) {
        this.offersP2p = offers;
    }

    public LinkStatus status() {
        return status;
    }

    private void dial() {
        if (stopped) {
            return;
        }
        setStatus(LinkStatus.State.CONNECTING, status.lastError());
        LinkHello hello = new LinkHello(settings.recorderId(), settings.credential(), settings.software(),
                settings.proxy().isPresent(), settings.local().get(), offersP2p);
        LinkTransport trying = transport;
        LinkAttempt attempt = new LinkAttempt(group, target, settings.proxy(), trying,
                trying == LinkTransport.H2 ? h2Tls : webSocketTls, hello, settings.maxStreams(), settings.router(),
                traffic);
        attempt.start().addListener(f -> loop.execute(() -> {
            if (f.isSuccess()) {
                online((LinkAttempt.Established) f.getNow());
            } else {
                attemptFailed(trying, f.cause());
            }
        }));
    }

    private void online(LinkAttempt.Established link) {
        if (stopped) {
            link.channel().close();
            return;
        }
        current = link.channel();
        Instant since = clock.instant();
        status = new LinkStatus(LinkStatus.State.ONLINE, since, Optional.of(link.transport().label()),
                settings.proxy().isPresent(), Optional.of(link.welcome().publicAddress()).filter(s -> !s.isEmpty()),
                Optional.empty(), 0);
        LOG.info("link to {} up over {}{} (the cloud sees this recorder as {})", target, link.transport().label(),
                settings.proxy().map(p -> " through proxy " + p.host() + ":" + p.port()).orElse(""),
                link.welcome().publicAddress());
        link.channel().closeFuture().addListener(c -> loop.execute(() -> {
            current = null;
            Duration lasted = Duration.between(since, clock.instant());
            if (lasted.compareTo(STABLE_AFTER) >= 0) {
                failures = 0;
            }
            String why = Optional.ofNullable(link.closeReason().get()).orElse("the connection closed");
            if (stopped) {
                return;
            }
            failures++;
            Duration wait = backoff.delay(failures);
            LOG.warn("link to {} lost after {}: {}; reconnecting in {} ms", target, human(lasted), why, wait.toMillis());
            scheduleDial(wait, "link lost: " + why);
        }));
    }

    private void attemptFailed(LinkTransport tried, Throwable cause) {
        if (stopped) {
            return;
        }
        if (cause instanceof AlpnRefusedException && tried == LinkTransport.H2) {
            LOG.warn("link to {}: {}; trying the WebSocket transport", target, cause.getMessage());
            transport = LinkTransport.WEBSOCKET;
            dial();
            return;
        }
        if (cause instanceof LinkRefusedException refused && refused.welcome().permanent()) {
            String what = refused.welcome().code().equals("revoked")
                    ? "this recorder was revoked in the cloud; activate it again with a new code (outpost recorder --activate CODE)"
                    : refused.getMessage() + "; activate this recorder again with a new code";
            LOG.error("link to {} refused for good: {}", target, what);
            stopped = true;
            setStatus(LinkStatus.State.REFUSED, Optional.of(what));
            return;
        }
        if (tried == LinkTransport.WEBSOCKET && failures >= 2 && !(cause instanceof WebSocketClientHandshakeException)) {
            transport = LinkTransport.H2; // the network may have changed: try the direct transport again
        }
        failures++;
        Duration wait = backoff.delay(failures);
        String why = describe(cause);
        LOG.warn("link attempt {} to {} over {}{} failed: {}; next try in {} ms", failures, target, tried.label(),
                settings.proxy().map(p -> " through proxy " + p.host() + ":" + p.port()).orElse(""), why, wait.toMillis());
        scheduleDial(wait, why);
    }

    private void scheduleDial(Duration wait, String why) {
        setStatus(LinkStatus.State.WAITING, Optional.of(why));
        pending = loop.schedule(this::dial, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void setStatus(LinkStatus.State state, Optional<String> error) {
        LinkStatus old = status;
        status = new LinkStatus(state, state == old.state() ? old.since() : clock.instant(), old.transport(),
                settings.proxy().isPresent(), old.publicAddress(), error, failures);
    }

    /** A cause in words an installer can act on. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        if (root instanceof UnknownHostException) {
            return "cannot resolve " + root.getMessage();
        }
        if (root instanceof ProxyConnectException) {
            String message = root.getMessage();
            if (message != null && message.contains("407")) {
                return "the proxy wants credentials or refused them (407): check the proxy URL's user and password";
            }
            return "the proxy refused the tunnel: " + message;
        }
        if (root instanceof ConnectException || root instanceof io.netty.channel.ConnectTimeoutException) {
            return "cannot connect: " + root.getMessage();
        }
        if (root instanceof SSLHandshakeException || root instanceof SSLException) {
            // The deepest cause that says something: the pin mismatch, the expired certificate...
            String said = root.getMessage();
            for (Throwable inner = root.getCause(); inner != null && inner != inner.getCause(); inner = inner.getCause()) {
                if (inner.getMessage() != null) {
                    said = inner.getMessage();
                }
            }
            return "TLS failed: " + (said != null ? said : root.getClass().getSimpleName());
        }
        if (root instanceof WebSocketClientHandshakeException) {
            return "the WebSocket upgrade was refused: " + root.getMessage();
        }
        if (root instanceof LinkRefusedException) {
            return root.getMessage();
        }
        return root.toString();
    }

    private static String human(Duration d) {
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + " s";
    }

    /** Stops dialling and closes the link. */
    @Override
    public void close() {
        loop.submit(() -> {
            stopped = true;
            if (pending != null) {
                pending.cancel(false);
            }
            if (current != null) {
                current.close();
            }
            setStatus(LinkStatus.State.STOPPED, status.lastError());
        }).syncUninterruptibly();
    }
}
