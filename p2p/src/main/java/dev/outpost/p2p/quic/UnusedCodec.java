package dev.outpost.p2p.quic;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Frees a QUIC codec that never went on a channel. Netty's codec owns quiche's native configuration and frees it
 * when it is removed from a pipeline; one built ahead of ICE that ICE then made useless has no pipeline, so it is
 * put on an embedded channel and taken off again.
 */
final class UnusedCodec {
    private UnusedCodec() {
    }

    static void free(ChannelHandler codec) {
        EmbeddedChannel channel = new EmbeddedChannel(codec);
        channel.finishAndReleaseAll();
    }
}
