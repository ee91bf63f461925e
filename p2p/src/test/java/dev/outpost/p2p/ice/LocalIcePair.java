package dev.outpost.p2p.ice;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Two ICE agents on this machine, host candidates only, with their pair selected: a viewer and a recorder. */
public record LocalIcePair(IcePeer viewer, IcePeer recorder, IcePeer.Selection viewerSide,
                           IcePeer.Selection recorderSide) implements AutoCloseable {

    public static LocalIcePair connect() throws Exception {
        IcePeer viewer = new IcePeer(true, Optional.empty());
        IcePeer recorder = new IcePeer(false, Optional.empty());
        try {
            viewer.remoteCredentials(recorder.localCredentials());
            recorder.remoteCredentials(viewer.localCredentials());
            viewer.addRemote(recorder.hostCandidates());
            recorder.addRemote(viewer.hostCandidates());
            recorder.start();
            viewer.start();
            IcePeer.Selection recorderSide = recorder.selected().get(10, TimeUnit.SECONDS);
            IcePeer.Selection viewerSide = viewer.selected().get(10, TimeUnit.SECONDS);
            if (viewerSide.remote().getPort() != recorderSide.local().getPort()) {
                throw new IllegalStateException("the sides selected different pairs: " + viewerSide + " / " + recorderSide);
            }
            return new LocalIcePair(viewer, recorder, viewerSide, recorderSide);
        } catch (Exception | Error e) {
            viewer.close();
            recorder.close();
            throw e;
        }
    }

    @Override
    public void close() {
        viewer.close();
        recorder.close();
    }
}
