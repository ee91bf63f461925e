package dev.outpost.cloud.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** Decides what serves a request, by its path: the API, the relay, the link upgrade, web assets. */
@FunctionalInterface
public interface ExchangeFactory {
    Exchange open(ChannelHandlerContext ctx, FrontDoor door, HttpRequest request);
}
