package dev.outpost.cloud.edge;

import dev.outpost.cloud.http.HttpReplies;
import dev.outpost.cloud.links.LinkAcceptor;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkTransport;
import dev.outpost.wire.link.WebSocketLinkAdapter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * {@code GET /link} with a WebSocket upgrade: the link's fallback for networks that refuse its ALPN
 * name. After the upgrade the connection carries the same handshake and HTTP/2 bytes in binary frames.
 */
final class WebSocketLinkUpgrade {
    private final LinkAcceptor links;

    WebSocketLinkUpgrade(LinkAcceptor links) {
        this.links = links;
    }

    Exchange open(ChannelHandlerContext ctx, FrontDoor door, HttpRequest request) {
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return door.answerNow(ctx, request, HttpReplies.error(426, "upgrade-required",
                    "/link is for recorders: a WebSocket upgrade with subprotocol " + LinkProtocol.WEBSOCKET_SUBPROTOCOL));
        }
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "wss://" + request.headers().get(HttpHeaderNames.HOST, "cloud") + LinkProtocol.WEBSOCKET_PATH,
                LinkProtocol.WEBSOCKET_SUBPROTOCOL, false, WebSocketLinkAdapter.MAX_FRAME_BYTES);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return HttpContent::release;
        }
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ctx.channel(), full);
        pipeline.remove("http-idle");
        pipeline.remove("http-continue");
        pipeline.remove("front-door");
        pipeline.addLast("ws-link", new WebSocketLinkAdapter());
        links.install(pipeline, LinkTransport.WEBSOCKET);
        return HttpContent::release;
    }
}
