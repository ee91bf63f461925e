package dev.outpost.p2p.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A bidirectional QUIC stream the viewer opens, seen as a blocking {@link InputStream} of what the recorder answers.
 * Reading is on demand: the stream channel reads only when this stream's buffers are used up, so what waits here is
 * at most one read's worth (Netty reads at most 16 buffers at a time), and past that QUIC's flow control holds the
 * recorder back. Closing it before the end stops the recorder sending (STOP_SENDING and RESET_STREAM, RFC 9000
 * section 3.5), which is how a viewer leaves a live stream.
 */
public final class QuicStreamInput extends InputStream {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private QuicStreamChannel stream;
    private ByteBuf current = Unpooled.EMPTY_BUFFER;
    private boolean ended;
    private volatile boolean closed;

    private QuicStreamInput() {
    }

    /** Opens a stream on {@code connection}, sends {@code request} on it and returns the way to read the answer. */
    public static QuicStreamInput open(QuicChannel connection, byte[] request, Duration timeout)
            throws IOException, InterruptedException {
        QuicStreamInput input = new QuicStreamInput();
        Future<QuicStreamChannel> opening = connection.newStreamBootstrap()
                .type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.AUTO_READ, false)
                .handler(input.new Collector())
                .create();
        if (!opening.await(timeout.toMillis()) || !opening.isSuccess()) {
            opening.cancel(false);
            throw new IOException("could not open a QUIC stream: "
                    + (opening.cause() == null ? "no answer within " + timeout.toMillis() + " ms" : opening.cause().getMessage()));
        }
        input.stream = opening.getNow();
        input.stream.writeAndFlush(Unpooled.wrappedBuffer(request));
        return input;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!current.isReadable()) {
            if (ended) {
                return -1;
            }
            current.release();
            current = Unpooled.EMPTY_BUFFER;
            Object next = next();
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next instanceof Throwable failure) {
                ended = true;
                throw new IOException("the P2P stream failed: " + failure.getMessage(), failure);
            }
            current = (ByteBuf) next;
        }
        int n = Math.min(length, current.readableBytes());
        current.readBytes(into, offset, n);
        return n;
    }

    /** The next buffer, end or failure; asks the channel for one read when nothing waits. */
    private Object next() throws IOException {
        Object next = arrived.poll();
        if (next != null) {
            return next;
        }
        stream.read(); // one read's worth more; a read still delivering adds at most as much again
        try {
            return arrived.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the P2P stream");
        }
    }

    @Override
    public void close() {
        closed = true;
        ended = true;
        if (stream != null) {
            stream.close();
        }
        current.release();
        current = Unpooled.EMPTY_BUFFER;
        drain();
    }

    private void drain() {
        Object left;
        while ((left = arrived.poll()) != null) {
            ReferenceCountUtil.release(left);
        }
    }

    /** On the stream's event loop: hands what arrives to the reading thread. */
    private final class Collector extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof ByteBuf bytes && !closed) {
                arrived.add(bytes);
                if (closed) {
                    drain(); // closed meanwhile: nobody will read it
                }
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            arrived.add(END);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            arrived.add(cause);
            ctx.close();
        }
    }
}
