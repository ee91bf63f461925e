package dev.outpost.lab;

import dev.outpost.testkit.NetworkNamespace;

/**
 * A machine of the network lab: its own network namespace with one address.
 *
 * @param role    what it is in the lab ({@code cloud}, {@code recorder}, {@code viewer-a}, ...), for messages
 * @param netns   its network namespace
 * @param address its one IPv4 address (a site's private address behind a router, or a WAN address)
 */
record LabHost(String role, NetworkNamespace netns, String address) {
    @Override
    public String toString() {
        return role + " (" + address + " in " + netns.name() + ")";
    }
}
