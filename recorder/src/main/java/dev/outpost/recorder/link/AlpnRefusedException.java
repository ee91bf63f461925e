package dev.outpost.recorder.link;

/** The TLS peer did not select the link's ALPN name: a middlebox in the way, time for the WebSocket. */
final class AlpnRefusedException extends Exception {
    AlpnRefusedException(String selected) {
        super("the TLS peer did not select ALPN " + dev.outpost.wire.link.LinkProtocol.ALPN + " (it chose "
                + (selected == null ? "none" : selected) + "); a TLS-terminating middlebox is likely", null, false, false);
    }
}
