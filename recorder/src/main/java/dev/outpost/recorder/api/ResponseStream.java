package dev.outpost.recorder.api;

import io.netty.channel.ChannelHandlerContext;
import java.util.Objects;

/**
 * A streamed answer in progress: where its writer writes ({@link #ctx()}), how it learns the channel can take more
 * ({@link #onWritable}) or is gone ({@link #onClosed}), and how it ends ({@link #end()}).
 */
final class ResponseStream {
    private final RecorderRouter router;
    private final ApiCall call;
    private volatile Runnable writable = () -> { };
    private volatile Runnable closed = () -> { };

    ResponseStream(RecorderRouter router, ApiCall call) {
        this.router = router;
        this.call = call;
    }

    ChannelHandlerContext ctx() {
        return call.ctx();
    }

    /** Called on the event loop whenever the channel's writability changes. */
    ResponseStream onWritable(Runnable listener) {
        this.writable = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Called on the event loop when the channel closes before the stream ended. */
    ResponseStream onClosed(Runnable listener) {
        this.closed = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Writes the end of the answer; from any thread. */
    void end() {
        router.endStreaming(call);
    }

    void writabilityChanged() {
        writable.run();
    }

    void channelClosed() {
        closed.run();
    }
}
