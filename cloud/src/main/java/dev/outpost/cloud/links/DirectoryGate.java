package dev.outpost.cloud.links;

import dev.outpost.cloud.paths.RecorderNetworks;
import dev.outpost.cloud.recorders.LinkAdmission;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LinkTransport;
import dev.outpost.wire.link.LinkWelcome;
import dev.outpost.wire.link.LocalEndpoint;
import java.time.Instant;

/** The link layer's gate, backed by the recorder directory in the database. */
public final class DirectoryGate implements LinkGate {
    private final RecorderDirectory recorders;
    private final RecorderNetworks networks;

    public DirectoryGate(RecorderDirectory recorders, RecorderNetworks networks) {
        this.recorders = recorders;
        this.networks = networks;
    }

    @Override
    public Admission admit(LinkHello hello) {
        LinkAdmission admission = recorders.admitLink(hello.recorderId(), hello.credential());
        return switch (admission.verdict()) {
            case ACCEPTED -> Admission.accept();
            case UNKNOWN -> Admission.refuse(LinkWelcome.UNKNOWN,
                    "this cloud has no recorder " + hello.recorderId() + ": activate the recorder with a new code");
            case BAD_CREDENTIAL -> Admission.refuse(LinkWelcome.BAD_CREDENTIAL,
                    "the recorder's credential is wrong: activate the recorder again with a new code");
            case REVOKED -> Admission.refuse(LinkWelcome.REVOKED,
                    "this recorder was revoked: activate it again with a new code to bring it back");
        };
    }

    @Override
    public void linkUp(String recorderId, Instant at, String publicAddress, LinkTransport transport, boolean viaProxy,
                       String software, LocalEndpoint local) {
        recorders.linkUp(recorderId, at, publicAddress, transport.label(), viaProxy, software);
        networks.reportLocalEndpoint(recorderId, local);
    }

    @Override
    public void linkDown(String recorderId, Instant at) {
        recorders.linkDown(recorderId, at);
    }
}
