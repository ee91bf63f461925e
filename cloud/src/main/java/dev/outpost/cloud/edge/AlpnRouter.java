package dev.outpost.cloud.edge;

import dev.outpost.cloud.links.LinkAcceptor;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkTransport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After TLS, sends a connection where its ALPN name says: a recorder link, HTTP/2 for viewers that offer it
 * ({@link ViewerHttp2}), or HTTP/1.1 for the others and for the link's WebSocket fallback.
 */
final class AlpnRouter extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlpnRouter.class);
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_CHUNK = 64 * 1024;
    static final int IDLE_SECONDS = 60;

    private final LinkAcceptor links;
    private final ExchangeFactory exchanges;

    AlpnRouter(LinkAcceptor links, ExchangeFactory exchanges) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.links = links;
        this.exchanges = exchanges;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (LinkProtocol.ALPN.equals(protocol)) {
            links.install(pipeline, LinkTransport.H2);
            return;
        }
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ViewerHttp2.install(pipeline, exchanges);
            return;
        }
        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
        pipeline.addLast("http-idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
        pipeline.addLast("http-continue", new HttpServerExpectContinueHandler());
        pipeline.addLast("front-door", new FrontDoor(exchanges));
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // Scanners, plain HTTP on the TLS port, half-open clients: one line at debug, then gone.
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
