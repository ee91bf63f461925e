/**
 * Peer-to-peer signalling messages (docs/p2p.md, "Signalling"): the offer a viewer sends, the answer a recorder
 * gives, and the candidates both trickle afterwards. They travel as JSON through the cloud's relay and the
 * recorder's link; every field is checked when a message is made, so a malformed one never reaches ICE.
 */
package dev.outpost.wire.p2p;
