package dev.outpost.cloud.stun;

import dev.outpost.wire.stun.StunFormatException;
import dev.outpost.wire.stun.StunMessage;
import dev.outpost.wire.stun.StunParser;
import dev.outpost.wire.stun.StunWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's STUN server (RFC 8489 Binding, RFC 5780 behaviour discovery) on UDP: one socket, or four
 * (2 addresses x 2 ports) when given an alternate address. All sockets share one event loop, so the rate
 * limit needs no lock and a response can leave from any socket. Datagrams that are not well-formed STUN
 * are dropped and counted; nothing a client sends reaches the event loop as an exception.
 */
public final class StunServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StunServer.class);
    // 20 bytes: RFC 3489 clients (stund 0.97, the `stun` command) refuse strings whose length is not a multiple of 4.
    public static final String SOFTWARE = "Outpost 0.1.0 (STUN)";

    private enum Counter { ANSWERED, REFUSED, MALFORMED, IGNORED, RATE_LIMITED }

    private final EventLoopGroup group;
    private final Map<SocketKey, Channel> channels;
    private final Map<SocketKey, InetSocketAddress> addresses;
    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);
    /** Set once every socket is bound (the responder needs all their addresses); until then datagrams are dropped. */
    private volatile Serving serving;

    private record Serving(StunResponder responder, SourceRateLimit rateLimit) {
    }

    private StunServer(EventLoopGroup group) {
        this.group = group;
        this.channels = new LinkedHashMap<>();
        this.addresses = new LinkedHashMap<>();
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
    }

    /** Binds the sockets of {@code settings}, which must be enabled. */
    public static StunServer start(StunSettings settings, String defaultBindAddress, StunLimits limits)
            throws IOException {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the STUN server is disabled");
        }
        InetAddress primaryIp = address(settings.bindAddress().orElse(defaultBindAddress), "--stun-bind");
        StunServer server = new StunServer(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()));
        try {
            if (settings.alternateAddress().isEmpty()) {
                server.bind(SocketKey.PRIMARY, new InetSocketAddress(primaryIp, settings.port()));
            } else {
                InetAddress alternateIp = address(settings.alternateAddress().get(), "--stun-alternate");
                if (primaryIp.isAnyLocalAddress() || alternateIp.isAnyLocalAddress() || primaryIp.equals(alternateIp)) {
                    throw new IllegalArgumentException("STUN behaviour discovery needs two distinct, specific addresses "
                            + "(--stun-bind and --stun-alternate), not " + primaryIp.getHostAddress() + " and "
                            + alternateIp.getHostAddress());
                }
                int port = server.bind(SocketKey.PRIMARY, new InetSocketAddress(primaryIp, settings.port())).getPort();
                int alternatePort = server.bind(new SocketKey(false, true),
                        new InetSocketAddress(primaryIp, settings.alternatePort())).getPort();
                server.bind(new SocketKey(true, false), new InetSocketAddress(alternateIp, port));
                server.bind(new SocketKey(true, true), new InetSocketAddress(alternateIp, alternatePort));
            }
            server.serving = new Serving(new StunResponder(SOFTWARE, server.addresses),
                    new SourceRateLimit(limits, System.nanoTime()));
            LOG.info("STUN listening on UDP {}{}", text(server.address()), server.addresses.size() == 4
                    ? " with behaviour discovery (RFC 5780) on " + server.addresses.values().stream()
                            .map(StunServer::text).toList()
                    : "");
            return server;
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
    }

    /** A mistyped address stops the start (only a port that is taken lets the cloud run on without STUN). */
    private static InetAddress address(String name, String flag) {
        try {
            return InetAddress.getByName(name);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(flag + ": no such address " + name, e);
        }
    }

    private InetSocketAddress bind(SocketKey key, InetSocketAddress address) throws IOException {
        var future = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new BindingHandler(key))
                .bind(address)
                .awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException("cannot listen for STUN on UDP " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + future.cause().getMessage(), future.cause());
        }
        Channel channel = future.channel();
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        channels.put(key, channel);
        addresses.put(key, bound);
        return bound;
    }

    private static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The primary address, where clients start. */
    public InetSocketAddress address() {
        return addresses.get(SocketKey.PRIMARY);
    }

    /** Every bound address: the primary first; four with behaviour discovery. */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses.values());
    }

    public StunStats stats() {
        return new StunStats(count(Counter.ANSWERED), count(Counter.REFUSED), count(Counter.MALFORMED),
                count(Counter.IGNORED), count(Counter.RATE_LIMITED));
    }

    private long count(Counter counter) {
        return counters.get(counter).sum();
    }

    @Override
    public void close() {
        channels.values().forEach(c -> c.close().awaitUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Reads datagrams arriving on one socket. Runs on the one event loop, like every other socket's handler. */
    private final class BindingHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final SocketKey socket;

        BindingHandler(SocketKey socket) {
            this.socket = socket;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Serving serving = StunServer.this.serving;
            if (serving == null) {
                counters.get(Counter.IGNORED).increment(); // still starting
                return;
            }
            StunMessage request;
            try {
                request = StunParser.parse(packet.content());
            } catch (StunFormatException e) {
                counters.get(Counter.MALFORMED).increment();
                LOG.debug("dropped a datagram from {} that is not STUN: {}", packet.sender(), e.getMessage());
                return;
            }
            if (!StunResponder.answerable(request)) {
                counters.get(Counter.IGNORED).increment();
                return;
            }
            if (!serving.rateLimit().tryAcquire(packet.sender().getAddress(), System.nanoTime())) {
                counters.get(Counter.RATE_LIMITED).increment();
                return;
            }
            StunResponder.Reply reply = serving.responder().answer(request, packet.sender(), socket);
            Channel out = channels.get(reply.from());
            ByteBuf bytes = out.alloc().buffer(128);
            try {
                StunWriter.write(reply.message(), bytes);
            } catch (RuntimeException e) {
                bytes.release();
                counters.get(Counter.MALFORMED).increment();
                LOG.debug("cannot answer {}: {}", packet.sender(), e.getMessage());
                return;
            }
            counters.get(reply.success() ? Counter.ANSWERED : Counter.REFUSED).increment();
            out.writeAndFlush(new DatagramPacket(bytes, reply.to()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable surfaces as an exception on some systems; a STUN server keeps serving.
            LOG.debug("STUN socket {}: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
