package dev.outpost.cloud.stun;

/**
 * One of the sockets of a STUN server: RFC 5780 section 3 has it listen on two IP addresses times two ports.
 * Without an alternate address only the primary one, {@code (false, false)}, exists.
 */
record SocketKey(boolean alternateIp, boolean alternatePort) {
    static final SocketKey PRIMARY = new SocketKey(false, false);

    /** RFC 5780 section 7.2: the socket a CHANGE-REQUEST asks to answer from. */
    SocketKey changed(boolean changeIp, boolean changePort) {
        return new SocketKey(alternateIp ^ changeIp, alternatePort ^ changePort);
    }

    /** RFC 5780 section 7.4: OTHER-ADDRESS differs from the receiving socket in both IP and port. */
    SocketKey other() {
        return changed(true, true);
    }
}
