package dev.outpost.cloud.relay;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.edge.Exchange;
import dev.outpost.cloud.edge.FrontDoor;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.http.HttpReplies;
import dev.outpost.cloud.http.SessionTokens;
import dev.outpost.cloud.links.RecorderLink;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed request: the viewer's request goes to the recorder as one HTTP/2 stream on its link, and
 * the answer streams back as it comes, never buffered whole. Backpressure runs both ways: a viewer
 * that stops reading stops this stream being read, so the recorder's stream window fills and the
 * recorder slows down for this viewer only; an upload the recorder cannot take pauses the viewer.
 *
 * <p>Threads: the viewer's connection and the link live on different event loops. Viewer-side state
 * is touched on the viewer's loop; the stream handler runs on the link's loop and hands the viewer
 * its messages with thread-safe channel writes, which Netty queues in order.
 */
final class RelayExchange implements Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(RelayExchange.class);

    private final ChannelHandlerContext viewer;
    private final FrontDoor door;
    private final HttpRequest request;
    private final String recorderId;
    private final String recorderPath;
    private final RelayServices services;
    private final boolean keepAlive;

    private final ArrayDeque<HttpContent> bodyBeforeStream = new ArrayDeque<>();
    private Http2StreamChannel stream;
    private boolean closed;
    private volatile boolean responseStarted;
    private final AtomicBoolean finished = new AtomicBoolean();
    private ScheduledFuture<?> responseDeadline;

    RelayExchange(ChannelHandlerContext viewer, FrontDoor door, HttpRequest request, String recorderId,
                  String recorderPath, RelayServices services) {
        this.viewer = viewer;
        this.door = door;
        this.request = request;
        this.recorderId = recorderId;
        this.recorderPath = recorderPath;
        this.services = services;
        this.keepAlive = FrontDoor.keepAlive(request);
    }

    /** Checks the viewer's right off the event loop, then opens the stream. */
    void start() {
        viewer.channel().config().setAutoRead(false);
        Optional<String> token = SessionTokens.from(request.headers());
        services.blocking().execute(() -> {
            try {
                RelayAccess.Permit permit = services.access().authorize(token, recorderId);
                viewer.executor().execute(() -> open(permit));
            } catch (ApiFailure failure) {
                viewer.executor().execute(() -> answer(HttpReplies.failure(failure)));
            } catch (RuntimeException e) {
                LOG.warn("relay authorization for recorder {} failed", recorderId, e);
                viewer.executor().execute(() -> answer(HttpReplies.error(500, "internal", "the cloud failed to check access")));
            }
        });
    }

    private void open(RelayAccess.Permit permit) {
        if (closed) {
            return;
        }
        Optional<RecorderLink> link = services.links().find(recorderId);
        if (link.isEmpty()) {
            answer(HttpReplies.error(502, "recorder-offline",
                    "recorder " + recorderId + " is offline: it has no link to the cloud now"));
            return;
        }
        GrantIssuer.SignedGrant grant = services.grants().issue(permit.userId(), recorderId, permit.rights());
        Optional<Future<Http2StreamChannel>> opening = link.get().openStream(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new FromRecorder());
            }
        });
        if (opening.isEmpty()) {
            answer(HttpReplies.error(503, "busy", "recorder " + recorderId + " has "
                    + link.get().openStreams() + " relayed requests open, the most allowed; try again shortly"));
            return;
        }
        opening.get().addListener(f -> viewer.executor().execute(() -> {
            if (!f.isSuccess()) {
                answer(HttpReplies.error(502, "link-failed", "could not open a stream to recorder " + recorderId
                        + ": " + f.cause().getMessage()));
                return;
            }
            streamOpened((Http2StreamChannel) f.getNow(), grant.token());
        }));
    }

    private void streamOpened(Http2StreamChannel opened, String grant) {
        if (closed) {
            opened.close();
            return;
        }
        stream = opened;
        String viewerAddress = viewer.channel().remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() : "unknown";
        stream.write(RelayRequests.toRecorder(request, recorderPath, grant, viewerAddress));
        HttpContent body;
        while ((body = bodyBeforeStream.poll()) != null) {
            stream.write(body);
        }
        stream.flush();
        responseDeadline = viewer.executor().schedule(() -> {
            if (!responseStarted) {
                answer(HttpReplies.error(504, "recorder-timeout", "recorder " + recorderId + " did not answer within "
                        + services.responseTimeout().toSeconds() + " s"));
            }
        }, services.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        viewer.channel().config().setAutoRead(stream.isWritable());
    }

    @Override
    public void content(HttpContent content) {
        if (closed) {
            content.release();
        } else if (stream == null) {
            bodyBeforeStream.add(content); // at most one read's worth: reading is paused until the stream opens
        } else {
            stream.writeAndFlush(content);
            if (!stream.isWritable()) {
                viewer.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void viewerWritabilityChanged(boolean writable) {
        if (stream != null && writable) {
            stream.config().setAutoRead(true);
        }
    }

    @Override
    public void viewerClosed() {
        closed = true;
        release();
    }

    /** An answer made by the cloud itself (errors), when the recorder's answer has not begun. */
    private void answer(HttpResponse response) {
        if (closed || responseStarted) {
            ReferenceCountUtil.release(response);
            if (!closed) {
                viewer.close(); // the recorder's answer began and cannot be completed: cut it short
            }
            return;
        }
        responseStarted = true;
        boolean reuse = keepAlive && request.decoderResult().isSuccess() && bodyComplete();
        HttpUtil.setKeepAlive(response, reuse);
        closed = true;
        release();
        viewer.writeAndFlush(response).addListener(f -> door.finished(viewer, this, reuse && f.isSuccess()));
    }

    private boolean bodyComplete() {
        return !HttpUtil.isContentLengthSet(request)
                && !HttpUtil.isTransferEncodingChunked(request);
    }

    private void release() {
        if (responseDeadline != null) {
            responseDeadline.cancel(false);
        }
        HttpContent body;
        while ((body = bodyBeforeStream.poll()) != null) {
            body.release();
        }
        if (stream != null) {
            stream.close();
        }
    }

    /** The recorder's answer is complete and written: the viewer's connection may take the next request. */
    private void finishOnViewerLoop() {
        if (responseDeadline != null) {
            responseDeadline.cancel(false);
        }
        closed = true;
        door.finished(viewer, this, keepAlive);
    }

    /**
     * The stream's last handler, on the link's event loop: the recorder's answer, on to the viewer.
     * What one read brings is handed to the viewer's event loop in one task, not one task per
     * message: each cross-loop task may wake a selector, and that cost dominated throughput.
     */
    private final class FromRecorder extends ChannelInboundHandlerAdapter {
        private ArrayList<Object> batch = new ArrayList<>();
        private boolean batchEnds;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (finished.get() || !viewer.channel().isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.status().code() == 100) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                responseStarted = true;
                RelayRequests.toViewer(response, keepAlive);
            }
            batch.add(msg);
            if (msg instanceof LastHttpContent) {
                batchEnds = true;
                handOff(ctx);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            handOff(ctx);
        }

        private void handOff(ChannelHandlerContext ctx) {
            if (batch.isEmpty()) {
                return;
            }
            List<Object> messages = batch;
            boolean ends = batchEnds;
            batch = new ArrayList<>();
            if (ends) {
                finished.set(true);
            }
            Channel out = viewer.channel();
            Channel stream = ctx.channel();
            viewer.executor().execute(() -> {
                for (Object message : messages) {
                    out.write(message);
                }
                out.flush();
                if (ends) {
                    finishOnViewerLoop();
                } else if (!out.isWritable()) {
                    stream.config().setAutoRead(false); // the viewer is behind: let the stream window fill
                }
            });
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            boolean writable = ctx.channel().isWritable();
            viewer.executor().execute(() -> {
                if (!closed && stream != null) {
                    viewer.channel().config().setAutoRead(writable);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handOff(ctx);
            if (!finished.get()) {
                viewer.executor().execute(() -> {
                    if (!closed) {
                        LOG.debug("stream to recorder {} closed before its answer ended", recorderId);
                        answer(HttpReplies.error(502, "link-dropped",
                                "the link to recorder " + recorderId + " dropped before it answered"));
                    }
                });
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("relay stream to recorder {} failed: {}", recorderId, cause.toString());
            ctx.close();
        }
    }
}
