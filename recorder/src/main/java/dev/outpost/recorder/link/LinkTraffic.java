package dev.outpost.recorder.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the link carried, for the data usage table: every byte on its connection (both ways, TLS records and proxy
 * handshake included; TCP/IP headers not), and the bytes of content in its streams (HTTP/2 DATA payloads: relayed
 * viewers' requests and answers, outbox items). The difference is the link's own cost, the reference page's
 * "baseline": handshakes, heartbeats, HTTP/2 and TLS framing, headers. Thread-safe; the counters never reset.
 */
public final class LinkTraffic {
    private final LongAdder wire = new LongAdder();
    private final LongAdder content = new LongAdder();

    /** Bytes on the link's connections so far. */
    public long wireBytes() {
        return wire.sum();
    }

    /** Bytes of stream content (DATA payloads) so far. */
    public long contentBytes() {
        return content.sum();
    }

    /** First in a link connection's pipeline: counts the bytes read and written there. */
    ChannelHandler wireCounter() {
        return new Counter(wire, false);
    }

    /** First in a stream's pipeline: counts the DATA payload read and written there. */
    ChannelHandler contentCounter() {
        return new Counter(content, true);
    }

    private static final class Counter extends ChannelDuplexHandler {
        private final LongAdder bytes;
        private final boolean frames;

        Counter(LongAdder bytes, boolean frames) {
            this.bytes = bytes;
            this.frames = frames;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            count(msg);
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            count(msg);
            ctx.write(msg, promise);
        }

        private void count(Object msg) {
            if (frames) {
                if (msg instanceof Http2DataFrame data) {
                    bytes.add(data.content().readableBytes());
                }
            } else if (msg instanceof ByteBuf buf) {
                bytes.add(buf.readableBytes());
            } else if (msg instanceof ByteBufHolder holder) {
                bytes.add(holder.content().readableBytes());
            }
        }
    }
}
