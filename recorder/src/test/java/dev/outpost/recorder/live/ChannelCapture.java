package dev.outpost.recorder.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;

/** Takes what a {@link LiveChannelWriter} wrote to an {@link EmbeddedChannel} and releases it. */
final class ChannelCapture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int messages;
    private boolean ended;

    /** Runs the channel's pending tasks (the writer's drains), then collects and releases what was written. */
    ChannelCapture drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            try {
                ended |= message instanceof LastHttpContent;
                ByteBuf content = message instanceof ByteBufHolder holder ? holder.content() : (ByteBuf) message;
                byte[] chunk = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), chunk);
                bytes.writeBytes(chunk);
                messages++;
            } finally {
                io.netty.util.ReferenceCountUtil.release(message);
            }
        }
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    int messages() {
        return messages;
    }

    boolean ended() {
        return ended;
    }
}
