package dev.outpost.recorder.api;

import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.grant.GrantSigner;
import dev.outpost.wire.grant.GrantVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;

/** A cloud's grant key made up for a test, and grants good, bad and ugly for one recorder. */
public final class TestGrants {
    public static final String RECORDER = "rec-1";
    public static final String USER = "user-7";

    public final Instant now = Instant.parse("2026-11-23T12:00:00Z");
    public final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair cloudKeys = keys();
    private final GrantSigner signer = new GrantSigner(cloudKeys.getPrivate());

    public RecorderApi api() {
        return new RecorderApi(new GrantVerifier(cloudKeys.getPublic(), RECORDER, clock),
                new RecorderFacts(RECORDER, "Front door", "outpost-recorder/test", now.minusSeconds(60)), clock,
                Executors.newVirtualThreadPerTaskExecutor());
    }

    public String valid() {
        return sign(signer, RECORDER, now.minusSeconds(10), now.plus(Duration.ofMinutes(5)));
    }

    /** A grant that may also change the recorder's settings (its cameras). */
    public String admin() {
        return signer.sign(new Grant(UUID.randomUUID().toString(), USER, RECORDER, Set.of(Grant.VIEW, Grant.ADMIN),
                now.minusSeconds(10), now.plus(Duration.ofMinutes(5))));
    }

    /** A grant with exactly {@code rights}. */
    public String withRights(String... rights) {
        return signer.sign(new Grant(UUID.randomUUID().toString(), USER, RECORDER, Set.of(rights),
                now.minusSeconds(10), now.plus(Duration.ofMinutes(5))));
    }

    public String expired() {
        return sign(signer, RECORDER, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(10)));
    }

    public String notYetValid() {
        return sign(signer, RECORDER, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));
    }

    public String wrongRecorder() {
        return sign(signer, "rec-other", now.minusSeconds(10), now.plus(Duration.ofMinutes(5)));
    }

    /** Signed by some other key: what a forger can make. */
    public String forged() {
        return sign(new GrantSigner(keys().getPrivate()), RECORDER, now.minusSeconds(10), now.plus(Duration.ofMinutes(5)));
    }

    private static String sign(GrantSigner signer, String recorder, Instant issued, Instant expires) {
        return signer.sign(new Grant(UUID.randomUUID().toString(), USER, recorder, Set.of(Grant.VIEW), issued, expires));
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
