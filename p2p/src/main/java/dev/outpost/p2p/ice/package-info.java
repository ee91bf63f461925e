/** ICE (RFC 8445) with ice4j: one UDP component, host and server-reflexive candidates, trickled. */
package dev.outpost.p2p.ice;
