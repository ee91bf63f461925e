package dev.outpost.recorder.local;

import dev.outpost.recorder.api.RecorderApi;
import dev.outpost.web.WebApp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's local HTTP port, for LAN and Direct Connect viewers: HTTP/1.1 keep-alive in front of
 * the same {@link RecorderApi} router the link uses, so a request is served alike whichever way it came.
 *
 * <p>Bounds: request line 8 KiB (longer gets 414), headers 16 KiB (431), body contents of at most
 * 64 KiB each, {@link LocalHttpConfig#maxConnections()} connections (further ones are closed at once),
 * and a connection idle for {@link LocalHttpConfig#idleTimeout()} (no byte read, none written) is closed.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);
    static final int MAX_INITIAL_LINE = 8 * 1024;
    static final int MAX_HEADERS = 16 * 1024;
    static final int MAX_CONTENT_CHUNK = 64 * 1024;

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final EventLoopGroup ownGroup;

    private LocalHttpServer(Channel serverChannel, ChannelGroup connections, EventLoopGroup ownGroup) {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.ownGroup = ownGroup;
    }

    /** Listens on its own NIO event loops (one thread: the API's work is small and never blocks them). */
    public static LocalHttpServer start(LocalHttpConfig config, RecorderApi api) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            return start(config, api, group, group, Optional.empty());
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Listens on event loops shared with the rest of the recorder; {@link #close()} leaves them running. */
    public static LocalHttpServer start(LocalHttpConfig config, RecorderApi api, EventLoopGroup shared)
            throws IOException {
        return start(config, api, shared, null, Optional.empty());
    }

    /**
     * Like {@link #start(LocalHttpConfig, RecorderApi, EventLoopGroup)}, also serving the web client (module
     * {@code web}) for viewers on the LAN, who sign in at {@code site}'s cloud ({@link LocalWebApp}).
     */
    public static LocalHttpServer start(LocalHttpConfig config, RecorderApi api, EventLoopGroup shared,
                                        LocalWebSite site) throws IOException {
        return start(config, api, shared, null, Optional.of(site));
    }

    private static LocalHttpServer start(LocalHttpConfig config, RecorderApi api, EventLoopGroup group,
                                         EventLoopGroup ownGroup, Optional<LocalWebSite> site) throws IOException {
        WebApp app = WebApp.fromClasspath();
        ChannelGroup connections = new DefaultChannelGroup("local-http", GlobalEventExecutor.INSTANCE);
        AtomicInteger open = new AtomicInteger();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (open.incrementAndGet() > config.maxConnections()) {
                            open.decrementAndGet();
                            log.warn("local HTTP: {} connections open already; closing {}", config.maxConnections(),
                                    channel.remoteAddress());
                            channel.close();
                            return;
                        }
                        channel.closeFuture().addListener(f -> open.decrementAndGet());
                        connections.add(channel);
                        config.tls().ifPresent(tls -> channel.pipeline().addLast("tls", tls.newHandler(channel.alloc())));
                        addHttp1(channel.pipeline(), config.idleTimeout());
                        site.ifPresent(s -> channel.pipeline()
                                .addLast("cors", new LocalCors(s.cloudUrl()))
                                .addLast("web", new LocalWebApp(app, s)));
                        channel.pipeline().addLast("router", api.newRouter());
                    }
                });
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + cause.getMessage()
                    + " (is another recorder running? change the local port in the recorder's configuration)", cause);
        }
        log.info("local HTTP{} API listening on {}", config.tls().isPresent() ? "S" : "", bound.channel().localAddress());
        return new LocalHttpServer(bound.channel(), connections, ownGroup);
    }

    /**
     * Serves {@code api} on a channel of bytes that is not this server's: a peer-to-peer viewer's QUIC stream. The
     * same HTTP/1.1 handlers and bounds as on the local port, then the router.
     */
    public static Consumer<Channel> apiOn(RecorderApi api, Duration idleTimeout) {
        return channel -> {
            addHttp1(channel.pipeline(), idleTimeout);
            channel.pipeline().addLast("router", api.newRouter());
        };
    }

    /** HTTP/1.1 with the bounds above, keep-alive, and closing a connection idle for {@code idleTimeout}. */
    private static void addHttp1(ChannelPipeline pipeline, Duration idleTimeout) {
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADERS)
                        .setMaxChunkSize(MAX_CONTENT_CHUNK)))
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                // Output progress counts as activity, so a slow but reading viewer stays.
                .addLast("idle", new IdleStateHandler(true, 0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("idle-close", IdleCloser.INSTANCE);
    }

    /** The port actually listened on (the chosen one when configured as 0). */
    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops listening, closes every connection, and stops the event loops if they are its own. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** Closes a connection the idle handler found silent. */
    @ChannelHandler.Sharable
    static final class IdleCloser extends ChannelInboundHandlerAdapter {
        static final IdleCloser INSTANCE = new IdleCloser();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                log.debug("local HTTP: {} idle; closing it", ctx.channel());
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }
    }
}
