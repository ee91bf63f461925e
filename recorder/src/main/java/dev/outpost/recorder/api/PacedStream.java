package dev.outpost.recorder.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Writes the body of {@code GET /api/stream}: deterministic bytes (byte {@code i} of the body is
 * {@code i % 251}) at a paced rate, on the channel's event loop and never blocking it.
 *
 * <p>Pacing is a token bucket: credit grows with the event loop's clock at {@code rate} bytes per
 * second, a chunk may go while credit is positive, and otherwise a timer fires when it will be. Credit
 * is capped at {@link #BURST_TIME_NANOS} of rate (or one chunk) so a stream that was held back does not
 * rush to catch up.
 *
 * <p>Backpressure: a chunk is only written while the channel is writable; when it is not, the stream
 * waits for {@link #writabilityChanged()}. So a reader that stops reading holds the recorder to at most
 * the channel's high water mark plus one chunk, whatever the rate.
 */
final class PacedStream {
    static final int MODULUS = 251;
    /** The pattern, repeated so any chunk is copied in few pieces; a multiple of MODULUS long. */
    private static final byte[] PATTERN = new byte[MODULUS * 261];
    /** How much unused rate a stream may save up: 20 ms worth. */
    static final long BURST_TIME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Shortest timer: waking more often than this costs more than the smoothness it buys. */
    static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** At most this much per turn of the event loop, so one fast stream cannot starve its neighbours. */
    static final int MAX_BYTES_PER_TURN = 256 * 1024;

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % MODULUS);
        }
    }

    private final ChannelHandlerContext ctx;
    private final StreamRequest request;
    private final ApiCounters counters;
    private final Runnable onEnd;
    private final Ticker ticker;
    private final double burst;

    private long sent;
    private double credit;
    private long creditedAt;
    private Future<?> timer;
    private boolean pausedForWritability;
    private boolean pumping;
    private boolean ended;

    PacedStream(ChannelHandlerContext ctx, StreamRequest request, ApiCounters counters, Runnable onEnd) {
        this.ctx = ctx;
        this.request = request;
        this.counters = counters;
        this.onEnd = onEnd;
        this.ticker = ctx.executor().ticker();
        this.burst = Math.max(request.chunk(), request.rate() * (BURST_TIME_NANOS / 1e9));
    }

    /** The byte at {@code offset} of every stream body. */
    static byte byteAt(long offset) {
        return (byte) (offset % MODULUS);
    }

    /**
     * Starts writing; the response head must already be written. When the limit is reached the stream
     * calls {@code onEnd}, which writes the {@code LastHttpContent}.
     */
    void start() {
        creditedAt = ticker.nanoTime();
        credit = request.chunk();
        pump();
    }

    /** The channel's writability changed: resume if it was what held the stream back. */
    void writabilityChanged() {
        if (pausedForWritability && ctx.channel().isWritable() && !pumping) {
            pausedForWritability = false;
            pump();
        }
    }

    /** The channel closed or the exchange was abandoned: stop, and cancel any timer. */
    void stop() {
        ended = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    long sent() {
        return sent;
    }

    private void pump() {
        if (ended || pumping || timer != null) {
            return;
        }
        pumping = true;
        boolean again = false;
        try {
            boolean wrote = false;
            int budget = Math.max(MAX_BYTES_PER_TURN, request.chunk());
            while (true) {
                long remaining = request.limit().isPresent() ? request.limit().getAsLong() - sent : Long.MAX_VALUE;
                if (remaining <= 0) {
                    finish();
                    return;
                }
                if (!ctx.channel().isActive()) {
                    stop();
                    return;
                }
                if (!ctx.channel().isWritable()) {
                    pausedForWritability = true;
                    counters.paused();
                    break;
                }
                if (budget <= 0) {
                    again = true;
                    break;
                }
                if (request.rate() > 0) {
                    refill();
                    if (credit <= 0) {
                        long wait = Math.max(MIN_WAIT_NANOS, (long) Math.ceil(-credit / request.rate() * 1e9));
                        timer = ctx.executor().schedule(this::onTimer, wait, TimeUnit.NANOSECONDS);
                        break;
                    }
                }
                int n = (int) Math.min(request.chunk(), remaining);
                ByteBuf chunk = ctx.alloc().buffer(n);
                fill(chunk, sent, n);
                ctx.write(new DefaultHttpContent(chunk));
                sent += n;
                credit -= n;
                budget -= n;
                counters.streamed(n);
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        } finally {
            pumping = false;
        }
        // The flush may have drained the outbound buffer at once and made the channel writable while
        // pumping was set, a wake-up writabilityChanged had to ignore (to keep the stack flat): look again.
        if (pausedForWritability && ctx.channel().isWritable()) {
            pausedForWritability = false;
            again = true;
        }
        if (again && !ended) {
            // Later, not now: lets the event loop serve other channels between turns of a fast stream.
            ctx.executor().execute(this::pump);
        }
    }

    private void onTimer() {
        timer = null;
        pump();
    }

    private void refill() {
        long now = ticker.nanoTime();
        credit = Math.min(burst, credit + (now - creditedAt) * (request.rate() / 1e9));
        creditedAt = now;
    }

    private void finish() {
        ended = true;
        onEnd.run();
    }

    /** Appends {@code length} bytes of the pattern as it stands at body offset {@code offset}. */
    static void fill(ByteBuf buffer, long offset, int length) {
        int position = (int) (offset % MODULUS);
        while (length > 0) {
            int n = Math.min(length, PATTERN.length - position);
            buffer.writeBytes(PATTERN, position, n);
            length -= n;
            position = 0;
        }
    }
}
