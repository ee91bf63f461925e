package dev.outpost.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The setting most lab scenarios and figures share: the lab's network, Outpost's cloud on its cloud host, a recorder
 * named "Shop" with one sample camera at site A, online, and a logged-in viewer at site B (the one at site A on
 * first use). Closing it stops every program, then deletes the lab.
 */
final class ShopLab implements AutoCloseable {
    private final NetworkLab lab;
    private final LabOutpost outpost;
    private final LabOutpost.Viewer siteB;
    private final LabOutpost.Recorder recorder;
    private LabOutpost.Viewer siteA;

    private ShopLab(NetworkLab lab, LabOutpost outpost, LabOutpost.Viewer siteB, LabOutpost.Recorder recorder) {
        this.lab = lab;
        this.outpost = outpost;
        this.siteB = siteB;
        this.recorder = recorder;
    }

    static ShopLab start(Path dir) {
        return start(dir, Duration.ZERO);
    }

    /** With {@code wanDelay} each way between WAN hosts ({@link NetworkLab#delayWan}) when it is not zero. */
    static ShopLab start(Path dir, Duration wanDelay) {
        NetworkLab lab = NetworkLab.start(dir);
        LabOutpost outpost = null;
        try {
            if (!wanDelay.isZero()) {
                lab.delayWan(wanDelay);
            }
            outpost = LabOutpost.start(lab);
            LabOutpost.Viewer siteB = outpost.viewer(lab.viewerB());
            // The recorder's defaults: HTTPS with the cloud-issued certificate on every address, port 7443.
            LabOutpost.Recorder recorder = outpost.recorder(lab.recorder(), siteB, "Shop", outpost.cloudUrl(),
                    "--sample-cameras", "1");
            siteB.awaitOnline(recorder);
            return new ShopLab(lab, outpost, siteB, recorder);
        } catch (RuntimeException | Error e) {
            if (outpost != null) {
                outpost.close();
            }
            lab.close();
            throw e;
        }
    }

    NetworkLab lab() {
        return lab;
    }

    LabOutpost outpost() {
        return outpost;
    }

    LabOutpost.Recorder recorder() {
        return recorder;
    }

    /** The viewer at another site, behind another NAT. */
    LabOutpost.Viewer siteB() {
        return siteB;
    }

    /** The viewer on the recorder's LAN, logged in on first use. */
    LabOutpost.Viewer siteA() {
        if (siteA == null) {
            siteA = outpost.viewer(lab.viewerA());
        }
        return siteA;
    }

    @Override
    public void close() {
        try {
            outpost.close();
        } finally {
            lab.close();
        }
    }
}
