package dev.outpost.cli;

import dev.outpost.cloud.CloudServer;

/** What a server prints when it is up: where to go and how to get in. */
final class Banner {
    private Banner() {
    }

    static String cloud(CloudServer cloud) {
        StringBuilder text = new StringBuilder();
        text.append("Outpost cloud is up: ").append(cloud.localUrl()).append('\n');
        if (cloud.selfSignedCertificate()) {
            text.append("  self-signed certificate, SHA-256 fingerprint ").append(cloud.certificateFingerprint()).append('\n');
        }
        cloud.stun().ifPresent(stun -> text.append("  STUN for peer-to-peer: UDP ").append(stun.address().getAddress().getHostAddress())
                .append(':').append(stun.address().getPort())
                .append(stun.addresses().size() == 4 ? " with NAT behaviour discovery (RFC 5780)" : "").append('\n'));
        cloud.generatedAdminPassword().ifPresent(password -> text
                .append("  first admin: ").append(cloud.config().adminEmail()).append(" / ").append(password)
                .append("   (shown once: keep it now)\n"));
        text.append("  log in from the command line: outpost login --cloud ").append(cloud.localUrl())
                .append(" --email ").append(cloud.config().adminEmail());
        if (cloud.selfSignedCertificate()) {
            text.append(" --trust-fingerprint ").append(cloud.certificateFingerprint());
        }
        return text.toString();
    }
}
