package dev.outpost.recorder.cameras;

import java.util.Locale;

/** How a camera stream's RTP travels (RFC 2326 section 10.12 and 12.39). */
public enum RtpTransport {
    /** Interleaved on the RTSP connection; UDP when the camera refuses that with 461 Unsupported Transport. */
    AUTO,
    /** Interleaved on the RTSP connection only: one TCP connection, through any firewall. */
    TCP,
    /** UDP datagrams only, for cameras whose TCP mode is broken. */
    UDP;

    /** How configuration names it: {@code auto}, {@code tcp} or {@code udp}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RtpTransport fromLabel(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "tcp" -> TCP;
            case "udp" -> UDP;
            default -> throw new IllegalArgumentException("transport must be auto, tcp or udp, not " + label);
        };
    }
}
