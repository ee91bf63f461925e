package dev.outpost.media.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One RTSP control connection to a camera (RFC 2326): sends requests one at a time, matches answers
 * by {@code CSeq}, answers authentication challenges once, remembers the session, keeps it alive, and
 * hands interleaved RTP/RTCP frames to the consumer. Which requests to send (DESCRIBE, SETUP, PLAY) is
 * the caller's business; this class knows the protocol, not the camera.
 *
 * <p>All state lives on the connection's event loop; {@link #send} may be called from any thread.
 */
public final class RtspConnection implements AutoCloseable {
    static final String USER_AGENT = "Outpost/0.1";
    /** Requests waiting behind the one in flight; a camera answers in order, one at a time. */
    static final int MAX_QUEUED = 8;

    private final Channel channel;
    private final EventLoop loop;
    private final URI url;
    private final Optional<RtspAuth> auth;
    private final Duration timeout;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Pending inFlight;
    private int cseq;
    private Optional<String> session = Optional.empty();
    private ScheduledFuture<?> keepAlive;

    private record Pending(RtspRequest request, CompletableFuture<RtspResponse> answer, boolean retried) {
    }

    private RtspConnection(Channel channel, URI url, Optional<RtspAuth> auth, Duration timeout) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.url = url;
        this.auth = auth;
        this.timeout = timeout;
        channel.closeFuture().addListener(f -> loop.execute(() -> fail(new IOException("the camera closed the RTSP connection"))));
    }

    /**
     * Connects to the camera of {@code url} ({@code rtsp://[user:password@]host[:554]/path}).
     *
     * @param frames  receives every interleaved frame; it owns (and must release) each
     * @param timeout for connecting, for each answer, and for silence on the connection
     */
    public static CompletableFuture<RtspConnection> open(EventLoopGroup group, URI url, Consumer<InterleavedFrame> frames,
                                                         Duration timeout) {
        if (!"rtsp".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a camera URL looks like rtsp://host[:port]/path, not " + redact(url)));
        }
        Optional<RtspAuth> auth = Optional.ofNullable(url.getRawUserInfo()).map(info -> {
            String[] parts = info.split(":", 2);
            return new RtspAuth(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
        });
        URI bare = withoutUserInfo(url);
        CompletableFuture<RtspConnection> result = new CompletableFuture<>();
        Thread.ofVirtual().name("rtsp-resolve").start(() -> { // DNS blocks: never on the event loop
            InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort() > 0 ? url.getPort() : 554);
            if (address.isUnresolved()) {
                result.completeExceptionally(new java.net.UnknownHostException("cannot resolve camera host " + url.getHost()));
                return;
            }
            new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("silence", new ReadTimeoutHandler(timeout.toMillis() * 3, TimeUnit.MILLISECONDS))
                                    .addLast("decoder", new RtspClientDecoder())
                                    .addLast("encoder", new RtspClientEncoder());
                        }
                    })
                    .connect(address).addListener(f -> {
                        if (!f.isSuccess()) {
                            result.completeExceptionally(f.cause());
                            return;
                        }
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        RtspConnection connection = new RtspConnection(ch, bare, auth, timeout);
                        ch.pipeline().addLast("rtsp", connection.new Inbound(frames));
                        result.complete(connection);
                    });
        });
        return result;
    }

    /** The camera's URL without credentials: what requests name and what logs may show. */
    public URI url() {
        return url;
    }

    public Optional<String> session() {
        return session;
    }

    /**
     * The camera's address on this connection: where RTP over UDP comes from (RFC 2326 section 12.39
     * lets a camera name another {@code source}, which cameras on a LAN do not).
     */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Sends a request; the answer completes with any status (a 401 is retried once with credentials). */
    public CompletableFuture<RtspResponse> send(String method, String uri, Map<String, String> headers) {
        CompletableFuture<RtspResponse> answer = new CompletableFuture<>();
        RtspRequest request = new RtspRequest(method, uri, headers);
        loop.execute(() -> {
            if (closed.isDone()) {
                answer.completeExceptionally(new IOException("the RTSP connection to " + url + " is closed"));
            } else if (queue.size() >= MAX_QUEUED) {
                answer.completeExceptionally(new IllegalStateException("too many RTSP requests waiting for " + url));
            } else {
                queue.add(new Pending(request, answer, false));
                next();
            }
        });
        return answer;
    }

    /**
     * Keeps the session alive with GET_PARAMETER (OPTIONS when refused) every {@code interval}. The
     * connection's silence limit grows to two intervals and an answer if it was shorter: with RTP over UDP
     * the answers to these requests are all the connection carries.
     */
    public void keepAlive(Duration interval) {
        loop.execute(() -> {
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            long silence = interval.toMillis() * 2 + timeout.toMillis();
            if (silence > timeout.toMillis() * 3 && channel.pipeline().get("silence") != null) {
                channel.pipeline().replace("silence", "silence", new ReadTimeoutHandler(silence, TimeUnit.MILLISECONDS));
            }
            keepAlive = loop.scheduleAtFixedRate(() -> send("GET_PARAMETER", url.toString(), Map.of())
                    .thenAccept(r -> {
                        if (r.status() == 405 || r.status() == 501) {
                            send("OPTIONS", url.toString(), Map.of());
                        }
                    }), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Completes when the connection ends, exceptionally with why. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (session.isPresent() && channel.isActive()) {
            // Polite but not waited for: the camera frees the session now instead of at its timeout.
            send("TEARDOWN", url.toString(), Map.of()).whenComplete((r, e) -> channel.close());
            loop.schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
        } else {
            channel.close();
        }
    }

    private void next() {
        if (inFlight != null || queue.isEmpty()) {
            return;
        }
        inFlight = queue.poll();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("CSeq", Integer.toString(++cseq));
        headers.put("User-Agent", USER_AGENT);
        session.ifPresent(s -> headers.put("Session", s));
        auth.flatMap(a -> a.authorization(inFlight.request().method(), inFlight.request().uri()))
                .ifPresent(value -> headers.put("Authorization", value));
        headers.putAll(inFlight.request().headers());
        RtspRequest request = new RtspRequest(inFlight.request().method(), inFlight.request().uri(), headers);
        Pending sent = inFlight;
        channel.writeAndFlush(request);
        loop.schedule(() -> {
            if (inFlight == sent) {
                fail(new TimeoutException("camera " + url + " did not answer " + request.method() + " within "
                        + timeout.toSeconds() + " s"));
                channel.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void answered(RtspResponse response) {
        Pending pending = inFlight;
        if (pending == null || response.cseq() != cseq) {
            return; // an answer to nothing we asked (or to a request given up on): ignore it
        }
        inFlight = null;
        if (response.status() == 401 && !pending.retried() && auth.isPresent()
                && auth.get().challenge(response.all("WWW-Authenticate"))) {
            queue.addFirst(new Pending(pending.request(), pending.answer(), true));
        } else {
            response.header("Session").ifPresent(value -> session = Optional.of(value.split(";")[0].trim()));
            pending.answer().complete(response);
        }
        next();
    }

    private void fail(Throwable cause) {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (inFlight != null) {
            inFlight.answer().completeExceptionally(cause);
            inFlight = null;
        }
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.answer().completeExceptionally(cause);
        }
        closed.completeExceptionally(cause);
    }

    private final class Inbound extends SimpleChannelInboundHandler<Object> {
        private final Consumer<InterleavedFrame> frames;

        Inbound(Consumer<InterleavedFrame> frames) {
            super(false);
            this.frames = frames;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof InterleavedFrame frame) {
                frames.accept(frame);
            } else if (msg instanceof RtspResponse response) {
                answered(response);
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause instanceof io.netty.handler.timeout.ReadTimeoutException
                    ? new TimeoutException("camera " + url + " sent nothing for " + timeout.multipliedBy(3).toSeconds() + " s")
                    : cause);
            ctx.close();
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static URI withoutUserInfo(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getRawPath(), url.getRawQuery(), null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("bad camera URL " + redact(url), e);
        }
    }

    static String redact(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "***@");
    }
}
