package dev.outpost.recorder.local;

import java.net.URI;
import java.util.Objects;

/**
 * What the web client served on the recorder's own port must know before anyone signed in: which recorder it is on
 * and where its cloud is, to send the user there to sign in (docs/web.md, "On the recorder's LAN port"). Served
 * without a grant as {@code /local-site.json}: nothing in it is secret (the recorder's certificate names it too).
 *
 * @param recorderId   this recorder's id
 * @param recorderName its name in the cloud, as learned at activation
 * @param cloudUrl     the cloud's address, for example {@code https://cloud.example.com:8443}
 */
public record LocalWebSite(String recorderId, String recorderName, URI cloudUrl) {
    /** The path the app reads this from. */
    public static final String PATH = "/local-site.json";

    public LocalWebSite {
        Objects.requireNonNull(recorderId, "recorderId");
        Objects.requireNonNull(recorderName, "recorderName");
        Objects.requireNonNull(cloudUrl, "cloudUrl");
    }

    /** The JSON body, with the cloud's address as text. */
    record Body(String recorderId, String recorderName, String cloudUrl) {
    }

    Body body() {
        return new Body(recorderId, recorderName, cloudUrl.toString());
    }
}
