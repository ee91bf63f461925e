package dev.outpost.recorder.cameras;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two UDP ports of RTP over UDP (RFC 2326 section 12.39, {@code client_port=a-b}): an even port for RTP
 * and the next one for RTCP (RFC 3550 section 11), bound on the stream's event loop. RTP datagrams from the
 * camera go to one consumer, its RTCP datagrams (sender reports, for capture times) to another; anything from another
 * address is dropped, so nobody else on the network can inject pictures or move their clock. Outpost sends no RTCP:
 * it keeps the session alive with RTSP requests instead.
 */
final class UdpReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpReceiver.class);
    /** Tries to find an even port whose odd neighbour is free, before giving up. */
    private static final int BIND_ATTEMPTS = 20;
    /** Socket receive buffer: a 4K camera's keyframe (about 2 MiB) arrives in one burst. */
    private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
    /** The largest datagram read whole; an RTP packet is at most 65535 bytes and usually one MTU. */
    private static final int MAX_DATAGRAM = 65_535;

    private final Channel rtp;
    private final Channel rtcp;

    private UdpReceiver(Channel rtp, Channel rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /**
     * Binds an even RTP port and the RTCP port above it on all interfaces.
     *
     * @param camera  the only address whose datagrams are taken
     * @param packets receives each RTP datagram's content on {@code loop}; it does not own the buffer
     * @param rtcp    receives each RTCP datagram's content on {@code loop}; it does not own the buffer
     */
    static CompletableFuture<UdpReceiver> bind(EventLoop loop, InetAddress camera, Consumer<ByteBuf> packets,
                                               Consumer<ByteBuf> rtcp) {
        CompletableFuture<UdpReceiver> result = new CompletableFuture<>();
        bindPair(loop, camera, packets, rtcp, result, 1);
        return result;
    }

    int rtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    /** The Transport header's value asking the camera to send to these ports. */
    String transportRequest() {
        return "RTP/AVP;unicast;client_port=" + rtpPort() + "-" + (rtpPort() + 1);
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }

    private static void bindPair(EventLoop loop, InetAddress camera, Consumer<ByteBuf> packets, Consumer<ByteBuf> rtcp,
                                 CompletableFuture<UdpReceiver> result, int attempt) {
        bootstrap(loop, camera, packets).bind(0).addListener((ChannelFuture first) -> {
            if (!first.isSuccess()) {
                result.completeExceptionally(first.cause());
                return;
            }
            int port = ((InetSocketAddress) first.channel().localAddress()).getPort();
            if (port % 2 != 0 || port == 65_535) { // RFC 3550 section 11: RTP on an even port, RTCP on the next
                first.channel().close();
                retry(loop, camera, packets, rtcp, result, attempt, "odd port " + port);
                return;
            }
            bootstrap(loop, camera, rtcp).bind(port + 1).addListener((ChannelFuture second) -> {
                if (second.isSuccess()) {
                    result.complete(new UdpReceiver(first.channel(), second.channel()));
                } else {
                    first.channel().close();
                    retry(loop, camera, packets, rtcp, result, attempt, "port " + (port + 1) + " taken");
                }
            });
        });
    }

    private static void retry(EventLoop loop, InetAddress camera, Consumer<ByteBuf> packets, Consumer<ByteBuf> rtcp,
                              CompletableFuture<UdpReceiver> result, int attempt, String why) {
        if (attempt >= BIND_ATTEMPTS) {
            result.completeExceptionally(new java.io.IOException("cannot bind two neighbouring UDP ports for RTP after "
                    + attempt + " tries (last: " + why + ")"));
        } else {
            bindPair(loop, camera, packets, rtcp, result, attempt + 1);
        }
    }

    private static Bootstrap bootstrap(EventLoop loop, InetAddress camera, Consumer<ByteBuf> packets) {
        return new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
                        // SimpleChannelInboundHandler releases the datagram after this returns.
                        if (datagram.sender().getAddress().equals(camera)) {
                            packets.accept(datagram.content());
                        } else {
                            log.debug("dropped a datagram from {}, not the camera {}", datagram.sender(), camera);
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.debug("UDP receive error on {}: {}", ctx.channel().localAddress(), cause.toString());
                    }
                });
    }
}
