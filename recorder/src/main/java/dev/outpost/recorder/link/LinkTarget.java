package dev.outpost.recorder.link;

import java.net.URI;

/** Where the link dials: the cloud's host and TLS port, from its https URL. */
public record LinkTarget(String host, int port) {
    public static LinkTarget of(URI cloud) {
        if (!"https".equalsIgnoreCase(cloud.getScheme()) || cloud.getHost() == null) {
            throw new IllegalArgumentException("the cloud URL must look like https://host[:port], not " + cloud);
        }
        return new LinkTarget(cloud.getHost(), cloud.getPort() > 0 ? cloud.getPort() : 443);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
