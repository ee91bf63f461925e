package dev.outpost.p2p.quic;

import dev.outpost.p2p.ice.IcePeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty datagram channel on the socket of the pair ICE selected, so that Netty's QUIC codec runs on the very
 * port (and NAT mappings) ICE found, while ice4j keeps answering consent checks (RFC 7675) on it. ice4j's socket is
 * a blocking {@link DatagramSocket}, so a virtual thread receives and another sends; the channel's event loop only
 * hands datagrams over. Both hand-overs are bounded queues of {@value #QUEUE} datagrams, and a full one drops the
 * datagram, as a full socket buffer would: QUIC counts it lost, retransmits and slows down. Only datagrams from the
 * selected pair's remote address are read; others are dropped and counted.
 */
final class IceDatagramChannel extends AbstractChannel {
    private static final Logger log = LoggerFactory.getLogger(IceDatagramChannel.class);
    static final int QUEUE = 1024;
    /** Larger than any QUIC datagram Outpost sends or accepts (the codec's limit is 1,350 bytes of payload). */
    private static final int MAX_DATAGRAM = 2048;
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    /**
     * The event loops of every P2P channel in this process, and of the QUIC connections and streams on them: they
     * only hand datagrams over and run quiche, never block, and live as long as the process (daemon threads), so
     * that a connection closed by its peer can still be asked things without the loop having gone.
     */
    private static final EventLoopGroup LOOPS = new DefaultEventLoopGroup(2,
            Thread.ofPlatform().daemon().name("p2p-quic-", 0).factory());

    private final DatagramSocket socket;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final ChannelConfig config = new DefaultChannelConfig(this);
    /** Received datagrams' contents, in direct buffers (Netty's QUIC codec reads native memory), owned by the queue. */
    private final BlockingQueue<ByteBuf> inbound = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<java.net.DatagramPacket> outbound = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong strangers = new AtomicLong();
    /** Bytes a paced sender may send at once: ten full datagrams. */
    static final int PACING_BURST = 10 * 1350;
    private volatile boolean open = true;
    private volatile long pacingRate;
    private Thread sender;

    private IceDatagramChannel(IcePeer.Selection selection) {
        super(null);
        this.socket = selection.socket();
        // Plain addresses: ice4j's TransportAddress is an InetSocketAddress whose equals also wants a transport
        this.local = new InetSocketAddress(selection.local().getAddress(), selection.local().getPort());
        this.remote = new InetSocketAddress(selection.remote().getAddress(), selection.remote().getPort());
    }

    /**
     * A channel on {@code selection}'s socket, registered on one of the P2P event loops. The socket stays ice4j's:
     * closing the channel stops using it, and freeing the ICE agent closes it.
     */
    static IceDatagramChannel open(IcePeer.Selection selection) throws IOException {
        IceDatagramChannel channel = new IceDatagramChannel(selection);
        if (!LOOPS.register(channel).awaitUninterruptibly().isSuccess()) {
            throw new IOException("could not register the QUIC channel on its event loop");
        }
        Thread.ofVirtual().name("p2p-receive-" + selection.local().getPort()).start(channel::receive);
        channel.sender = Thread.ofVirtual().name("p2p-send-" + selection.local().getPort()).start(channel::send);
        return channel;
    }

    /** Datagrams dropped because a hand-over queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void receive() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (open) {
            java.net.DatagramPacket datagram = new java.net.DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (IOException e) {
                if (open) {
                    log.debug("the ICE socket {} stopped receiving: {}", local, e.toString());
                    close();
                }
                return;
            }
            if (!remote.equals(datagram.getSocketAddress())) {
                strangers.incrementAndGet();
                continue;
            }
            ByteBuf content = alloc().directBuffer(datagram.getLength());
            content.writeBytes(buffer, datagram.getOffset(), datagram.getLength());
            if (!inbound.offer(content)) {
                content.release();
                dropped.incrementAndGet();
            } else if (!open) {
                releaseInbound(); // closed meanwhile: nobody will deliver it
            } else if (draining.compareAndSet(false, true)) {
                eventLoop().execute(this::deliver);
            }
        }
    }

    /** On the event loop: every waiting datagram up the pipeline, then one read-complete (the codec flushes then). */
    private void deliver() {
        draining.set(false);
        ByteBuf content;
        boolean any = false;
        while ((content = inbound.poll()) != null) {
            if (!open) {
                content.release();
                continue;
            }
            pipeline().fireChannelRead(new DatagramPacket(content, local, remote));
            any = true;
        }
        if (any) {
            pipeline().fireChannelReadComplete();
        }
    }

    /**
     * Spreads sends at {@code bytesPerSecond} from now on (0: as fast as they come), with bursts of at most
     * {@value #PACING_BURST} bytes. Netty's QUIC on NIO cannot pace by itself (quiche's send times need
     * {@code SO_TXTIME}), and a window sent at once overflows buffers on the way and at the receiver.
     */
    void pace(long bytesPerSecond) {
        pacingRate = Math.max(0, bytesPerSecond);
    }

    private void send() {
        long credit = PACING_BURST;
        long last = System.nanoTime();
        while (open) {
            try {
                java.net.DatagramPacket datagram = outbound.take();
                long rate = pacingRate;
                if (rate > 0) {
                    long now = System.nanoTime();
                    credit = Math.min(PACING_BURST, credit + (now - last) * rate / 1_000_000_000L);
                    last = now;
                    if (credit < datagram.getLength()) {
                        long wait = (datagram.getLength() - credit) * 1_000_000_000L / rate;
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        long woke = System.nanoTime();
                        credit += (woke - last) * rate / 1_000_000_000L;
                        last = woke;
                    }
                    credit -= datagram.getLength();
                }
                socket.send(datagram);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (open) {
                    log.debug("the ICE socket {} stopped sending: {}", local, e.toString());
                    close();
                }
                return;
            }
        }
    }

    private void releaseInbound() {
        ByteBuf left;
        while ((left = inbound.poll()) != null) {
            left.release();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer buffer) {
        Object message;
        while ((message = buffer.current()) != null) {
            DatagramPacket packet = (DatagramPacket) message;
            ByteBuf content = packet.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            SocketAddress to = packet.recipient() == null ? remote : packet.recipient();
            if (!outbound.offer(new java.net.DatagramPacket(bytes, bytes.length, to))) {
                dropped.incrementAndGet();
            }
            buffer.remove();
        }
    }

    @Override
    protected Object filterOutboundMessage(Object message) {
        if (message instanceof DatagramPacket) {
            return message;
        }
        throw new UnsupportedOperationException("only datagrams go on the ICE socket, not "
                + message.getClass().getSimpleName());
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        if (sender != null) {
            sender.interrupt();
        }
        // The receiver is not interrupted: an interrupt could close ice4j's socket under the agent. It ends when the
        // agent frees the socket, which always follows, and drops what it reads until then.
        releaseInbound();
        outbound.clear();
        if (dropped.get() > 0 || strangers.get() > 0) {
            log.debug("P2P channel {} closed: {} datagrams dropped on full queues, {} from other addresses",
                    local, dropped.get(), strangers.get());
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("the ICE pair is connected already"));
            }
        };
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof DefaultEventLoop;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress address) {
        throw new UnsupportedOperationException("ICE bound the socket already");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    /** Datagrams are received all the time (the receiver's queue is the bound); nothing to start. */
    @Override
    protected void doBeginRead() {
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && isRegistered();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
