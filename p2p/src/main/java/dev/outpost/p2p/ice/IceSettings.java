package dev.outpost.p2p.ice;

/**
 * How Outpost configures ice4j (read from system properties by its configuration library, once): IPv4 only, no
 * link-local addresses, no cloud-provider address discovery (it would ask a metadata service), and a short
 * harvest timeout, since a STUN answer that takes longer than ICE's own bound is of no use.
 */
final class IceSettings {
    /**
     * ice4j and jitsi-utils log through java.util.logging, at INFO for every candidate and state: to standard error
     * of the command line unless quietened. Held here because java.util.logging keeps loggers only weakly.
     */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.List.of(
            java.util.logging.Logger.getLogger("org.ice4j"), java.util.logging.Logger.getLogger("org.jitsi"),
            // jicoco-config names its logger by the class's simple name, outside both packages
            java.util.logging.Logger.getLogger("JitsiConfig"));
    /**
     * Warns "Removing the active socket" whenever an agent is freed, which is how every session ends: shown only
     * at SEVERE, so that a viewer closing its stream prints nothing.
     */
    private static final java.util.logging.Logger MERGING_SOCKET =
            java.util.logging.Logger.getLogger("org.ice4j.socket.MergingDatagramSocket");

    private IceSettings() {
    }

    static void apply() {
        if (System.getProperty("outpost.ice.log") == null) {
            QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
            MERGING_SOCKET.setLevel(java.util.logging.Level.SEVERE);
        }
        setDefault("ice4j.harvest.use-ipv6", "false");
        setDefault("ice4j.harvest.use-link-local-addresses", "false");
        setDefault("ice4j.harvest.mapping.aws.enabled", "false");
        setDefault("ice4j.harvest.timeout", "2 seconds");
        setDefault("ice4j.software", "");
        setDefault("ice4j.ice.termination-delay", "1 second");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
