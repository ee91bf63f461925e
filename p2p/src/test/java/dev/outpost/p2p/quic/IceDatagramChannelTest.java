package dev.outpost.p2p.quic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.p2p.ice.IcePeer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Netty channel over the selected pair's socket, with plain UDP sockets on loopback standing in for ICE's. */
class IceDatagramChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void carriesDatagramsOfTheSelectedPairOnlyBothWays() throws Exception {
        try (DatagramSocket local = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5000);
            IcePeer.Selection selection = new IcePeer.Selection(local, (InetSocketAddress) local.getLocalSocketAddress(),
                    (InetSocketAddress) peer.getLocalSocketAddress(), "host", "host");
            BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
            IceDatagramChannel channel = IceDatagramChannel.open(selection);
            channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                    arrived.add(packet.sender().getPort() + ">" + packet.recipient().getPort() + ":"
                            + packet.content().isDirect() + ":" + packet.content().toString(StandardCharsets.US_ASCII));
                }
            });
            try {
                send(stranger, "not from the pair", local);
                send(peer, "from the pair", local);
                // Netty's QUIC codec wants direct memory; the stranger's datagram never arrives
                assertThat(arrived.poll(5, TimeUnit.SECONDS))
                        .isEqualTo(peer.getLocalPort() + ">" + local.getLocalPort() + ":true:from the pair");

                channel.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("answer", StandardCharsets.US_ASCII),
                        selection.remote())).sync();
                java.net.DatagramPacket received = new java.net.DatagramPacket(new byte[64], 64);
                peer.receive(received);
                assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.US_ASCII))
                        .isEqualTo("answer");
                assertThat(received.getPort()).isEqualTo(local.getLocalPort());

                ChannelFuture refused = channel.writeAndFlush("text").await();
                assertThat(refused.cause()).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("only datagrams");
                assertThat(arrived).isEmpty();
            } finally {
                channel.close().sync();
            }
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    void aPacedChannelSendsEverythingInOrder() throws Exception {
        try (DatagramSocket local = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5000);
            IcePeer.Selection selection = new IcePeer.Selection(local, (InetSocketAddress) local.getLocalSocketAddress(),
                    (InetSocketAddress) peer.getLocalSocketAddress(), "host", "host");
            IceDatagramChannel channel = IceDatagramChannel.open(selection);
            try {
                channel.pace(1_000_000); // 1 MB/s: 100 datagrams of 1,000 bytes take some 0.09 s past the first burst
                for (int i = 0; i < 100; i++) {
                    byte[] bytes = new byte[1000];
                    bytes[0] = (byte) i;
                    channel.write(new DatagramPacket(Unpooled.wrappedBuffer(bytes), selection.remote()));
                }
                long start = System.nanoTime();
                channel.flush();
                java.net.DatagramPacket received = new java.net.DatagramPacket(new byte[2000], 2000);
                for (int i = 0; i < 100; i++) {
                    peer.receive(received);
                    assertThat(received.getLength()).isEqualTo(1000);
                    assertThat(received.getData()[0]).isEqualTo((byte) i);
                }
                // Paced, what exceeds one burst cannot arrive sooner than the rate allows (unpaced: a millisecond or
                // two); a lower bound only, which a slow machine cannot break
                long spread = (100 * 1000 - IceDatagramChannel.PACING_BURST) * 1_000_000_000L / 1_000_000;
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(spread);
            } finally {
                channel.close().sync();
            }
        }
    }

    private static void send(DatagramSocket from, String text, DatagramSocket to) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        from.send(new java.net.DatagramPacket(bytes, bytes.length, to.getLocalSocketAddress()));
    }
}
