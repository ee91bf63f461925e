package dev.outpost.cloud.recorders;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.cloud.store.Secrets;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.RecorderView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorders each organization owns: activation codes and activation, the credential check when
 * a recorder links, what the cloud saw of its links, and revocation. Blocking (database): call it
 * from virtual threads, never from an event loop.
 */
public final class RecorderDirectory {
    private static final Logger log = LoggerFactory.getLogger(RecorderDirectory.class);

    public static final Duration DEFAULT_CODE_LIFETIME = Duration.ofHours(24);
    static final int MAX_NAME_CHARS = 200;
    private static final int MAX_ID_CHARS = 40;
    /** Generous for five characters as people type them (spaces, dashes), yet bounded before parsing. */
    private static final int MAX_TYPED_CODE_ID_CHARS = 20;
    private static final int MAX_SOFTWARE_CHARS = 200;
    private static final int MAX_ADDRESS_CHARS = 100;
    private static final int MAX_TRANSPORT_CHARS = 20;
    /** Code ids have 25 bits; a new code whose id is taken already gets another try. */
    private static final int CODE_ID_ATTEMPTS = 8;
    private static final String SECRET_PADDING = "0".repeat(15);

    private static final String UNKNOWN_CODE = "activation code not recognised: check that it was typed as the cloud"
            + " showed it, or create a new one in the cloud under Recorders";
    private static final String USED_CODE = "activation code was used already (each code activates one recorder):"
            + " create a new one in the cloud under Recorders";
    private static final String EXPIRED_CODE = "activation code expired: create a new one in the cloud under Recorders";
    private static final String FOREIGN_CERTIFICATE = "the recorder saw a different TLS certificate than the one this"
            + " cloud serves, so something between them intercepts TLS: check the cloud URL, or if a proxy inspects"
            + " TLS on purpose, make the recorder trust the proxy's certificate authority";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration codeLifetime;
    private final SecureRandom random = new SecureRandom();

    record CodeRow(String id, String organizationId, String recorderName, String proofKey, Instant expiresAt,
                   Instant usedAt) {
    }

    record RecorderRow(String id, String name, String organizationId, String credentialHash, Instant revokedAt,
                       Instant lastOnlineAt, Instant lastOfflineAt, String publicAddress, String transport,
                       boolean viaProxy, String software) {
        RecorderView view(Predicate<String> online) {
            boolean isOnline = online.test(id);
            return new RecorderView(id, name, organizationId, isOnline, isOnline ? lastOnlineAt : lastOfflineAt,
                    orEmpty(publicAddress), orEmpty(transport), viaProxy, orEmpty(software), revokedAt != null);
        }
    }

    public RecorderDirectory(Database database, Clock clock) {
        this(database, clock, DEFAULT_CODE_LIFETIME);
    }

    public RecorderDirectory(Database database, Clock clock, Duration codeLifetime) {
        if (codeLifetime.isNegative() || codeLifetime.isZero()) {
            throw new IllegalArgumentException("activation codes must live longer than zero, not " + codeLifetime);
        }
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.codeLifetime = codeLifetime;
    }

    /**
     * A new single-use code for a recorder to be named {@code request.name()}. The code's text is in
     * the answer only: the cloud keeps its id and the proof key derived from it.
     *
     * @throws ApiFailure 403 unless the user is an admin or installer; 400 {@code bad-name}
     */
    public ActivationCodeView createActivationCode(AuthenticatedUser user, NewActivationCode request) {
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only admins and installers create activation codes");
        }
        String name = recorderName(request.name());
        Instant now = now();
        Instant expiresAt = now.plus(codeLifetime);
        for (int attempt = 0; attempt < CODE_ID_ATTEMPTS; attempt++) {
            ActivationCode code = ActivationCode.generate(random);
            try {
                jdbi.useHandle(handle -> handle.createUpdate("""
                                insert into activation_codes
                                    (id, organization_id, recorder_name, proof_key, created_by, created_at, expires_at)
                                values (:id, :organization, :name, :key, :user, :now, :expires)""")
                        .bind("id", code.id())
                        .bind("organization", user.organizationId())
                        .bind("name", name)
                        .bind("key", HexFormat.of().formatHex(code.proofKey()))
                        .bind("user", user.userId())
                        .bind("now", now)
                        .bind("expires", expiresAt)
                        .execute());
            } catch (RuntimeException e) {
                if (Database.isUniqueViolation(e)) {
                    continue;
                }
                throw e;
            }
            log.info("{} created activation code {} for recorder '{}'", user.email(), code.id(), name);
            return new ActivationCodeView(code.text(), name, expiresAt);
        }
        throw new IllegalStateException("no unused activation code id after " + CODE_ID_ATTEMPTS + " tries");
    }

    /**
     * Turns an activation code into a recorder, once. The request proves knowledge of the code bound
     * to the TLS certificate the recorder saw, which must be this cloud's ({@code
     * cloudCertificateFingerprint}) or vouched for by a certificate authority ({@link
     * ActivationProof#PKI_BINDING}).
     *
     * @throws ApiFailure 400 {@code bad-code} for an unknown code, a wrong proof or a foreign certificate;
     *                    410 {@code code-expired}; 409 {@code code-used}
     */
    public Activation activate(ActivationRequest request, String cloudCertificateFingerprint) {
        String codeId = codeId(request.codeId());
        String binding = request.binding();
        if (binding == null || !(binding.equals(cloudCertificateFingerprint)
                || binding.equals(ActivationProof.PKI_BINDING))) {
            throw ApiFailure.badRequest("bad-code", FOREIGN_CERTIFICATE);
        }
        Optional<CodeRow> found = jdbi.withHandle(handle -> handle.createQuery("""
                        select id, organization_id, recorder_name, proof_key, expires_at, used_at
                        from activation_codes where id = :id""")
                .bind("id", codeId)
                .map(ConstructorMapper.of(CodeRow.class))
                .findOne());
        if (found.isEmpty()) {
            throw ApiFailure.badRequest("bad-code", UNKNOWN_CODE);
        }
        CodeRow code = found.get();
        byte[] proofKey = HexFormat.of().parseHex(code.proofKey());
        if (!ActivationProof.matches(ActivationProof.recorderProof(proofKey, binding), request.proof())) {
            throw ApiFailure.badRequest("bad-code", UNKNOWN_CODE);
        }
        Instant now = now();
        if (code.usedAt() != null) {
            throw ApiFailure.conflict("code-used", USED_CODE);
        }
        if (!code.expiresAt().isAfter(now)) {
            throw ApiFailure.gone("code-expired", EXPIRED_CODE);
        }

        String recorderId = RandomIds.next(random, 'r');
        String credential = Secrets.newSecret(random);
        jdbi.useTransaction(handle -> {
            // The conditional update is the single-use guarantee: of two concurrent activations, the
            // second waits for the first's row lock, then finds used_at set and changes nothing.
            int claimed = handle.createUpdate("""
                            update activation_codes set used_at = :now
                            where id = :id and used_at is null and expires_at > :now""")
                    .bind("now", now)
                    .bind("id", codeId)
                    .execute();
            if (claimed == 0) {
                throw ApiFailure.conflict("code-used", USED_CODE);
            }
            handle.createUpdate("""
                            insert into recorders (id, organization_id, name, credential_hash, created_at, software)
                            values (:id, :organization, :name, :credential, :now, :software)""")
                    .bind("id", recorderId)
                    .bind("organization", code.organizationId())
                    .bind("name", code.recorderName())
                    .bind("credential", Secrets.hash(credential))
                    .bind("now", now)
                    .bind("software", clip(orEmpty(request.software()), MAX_SOFTWARE_CHARS))
                    .execute();
            handle.createUpdate("update activation_codes set recorder_id = :recorder where id = :id")
                    .bind("recorder", recorderId)
                    .bind("id", codeId)
                    .execute();
        });
        log.info("activation code {} made recorder {} ('{}') in organization {}", codeId, recorderId,
                code.recorderName(), code.organizationId());
        return new Activation(recorderId, code.recorderName(), credential,
                ActivationProof.cloudProof(proofKey, binding, recorderId));
    }

    /** Checks a linking recorder's credential (in constant time) and that it is not revoked. */
    public LinkAdmission admitLink(String recorderId, String credential) {
        if (recorderId == null || recorderId.isEmpty() || recorderId.length() > MAX_ID_CHARS) {
            return LinkAdmission.unknown(orEmpty(recorderId));
        }
        Optional<RecorderRow> found = findRow(recorderId);
        if (found.isEmpty()) {
            return LinkAdmission.unknown(recorderId);
        }
        RecorderRow recorder = found.get();
        LinkAdmission.Verdict verdict;
        if (!Secrets.matches(recorder.credentialHash(), credential)) {
            verdict = LinkAdmission.Verdict.BAD_CREDENTIAL;
        } else if (recorder.revokedAt() != null) {
            verdict = LinkAdmission.Verdict.REVOKED;
        } else {
            verdict = LinkAdmission.Verdict.ACCEPTED;
        }
        return new LinkAdmission(verdict, recorderId, recorder.organizationId(), recorder.name());
    }

    /** Records that the recorder's link came up, and what the cloud saw of it. */
    public void linkUp(String recorderId, Instant at, String publicAddress, String transport, boolean viaProxy,
                       String software) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update recorders
                        set last_online_at = :at, public_address = :address, transport = :transport,
                            via_proxy = :proxy, software = :software
                        where id = :id""")
                .bind("at", at.truncatedTo(ChronoUnit.MICROS))
                .bind("address", clip(publicAddress, MAX_ADDRESS_CHARS))
                .bind("transport", clip(transport, MAX_TRANSPORT_CHARS))
                .bind("proxy", viaProxy)
                .bind("software", clip(software, MAX_SOFTWARE_CHARS))
                .bind("id", recorderId)
                .execute());
    }

    /** Records that the recorder's link went down. */
    public void linkDown(String recorderId, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("update recorders set last_offline_at = :at where id = :id")
                .bind("at", at.truncatedTo(ChronoUnit.MICROS))
                .bind("id", recorderId)
                .execute());
    }

    /** The recorders of the user's organization, revoked ones included, by name. */
    public List<RecorderView> list(AuthenticatedUser user, Predicate<String> online) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select * from recorders where organization_id = :organization order by lower(name), id""")
                .bind("organization", user.organizationId())
                .map(ConstructorMapper.of(RecorderRow.class))
                .map(row -> row.view(online))
                .list());
    }

    /** The recorder, if it belongs to the user's organization; another's looks exactly like none. */
    public Optional<RecorderView> find(AuthenticatedUser user, String recorderId, Predicate<String> online) {
        return findRow(recorderId)
                .filter(row -> row.organizationId().equals(user.organizationId()))
                .map(row -> row.view(online));
    }

    /** Whether the user may reach the recorder: it is in their organization and not revoked. */
    public boolean mayAccess(AuthenticatedUser user, String recorderId) {
        return findRow(recorderId)
                .filter(row -> row.organizationId().equals(user.organizationId()) && row.revokedAt() == null)
                .isPresent();
    }

    /**
     * Revokes the recorder for good: its credential no longer admits a link. Revoking twice is
     * harmless. The caller closes a link that is up.
     *
     * @throws ApiFailure 404 if the recorder is not in the user's organization; 403 for viewers
     */
    public void revoke(AuthenticatedUser user, String recorderId) {
        if (find(user, recorderId, id -> false).isEmpty()) {
            throw ApiFailure.notFound("no recorder " + recorderId + " in your organization");
        }
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only admins and installers revoke recorders");
        }
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update recorders set revoked_at = :now
                        where id = :id and organization_id = :organization and revoked_at is null""")
                .bind("now", now())
                .bind("id", recorderId)
                .bind("organization", user.organizationId())
                .execute());
        log.info("{} revoked recorder {}", user.email(), recorderId);
    }

    /**
     * Renames the recorder in the cloud's directory (what users see in lists).
     *
     * @throws ApiFailure 404 if the recorder is not in the user's organization; 403 for viewers; 400 {@code bad-name}
     */
    public RecorderView rename(AuthenticatedUser user, String recorderId, String requestedName,
                               Predicate<String> online) {
        if (find(user, recorderId, id -> false).isEmpty()) {
            throw ApiFailure.notFound("no recorder " + recorderId + " in your organization");
        }
        if (!user.role().managesRecorders()) {
            throw ApiFailure.forbidden("only admins and installers rename recorders");
        }
        String name = recorderName(requestedName);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update recorders set name = :name where id = :id and organization_id = :organization""")
                .bind("name", name)
                .bind("id", recorderId)
                .bind("organization", user.organizationId())
                .execute());
        log.info("{} renamed recorder {} to '{}'", user.email(), recorderId, name);
        return find(user, recorderId, online).orElseThrow();
    }

    private Optional<RecorderRow> findRow(String recorderId) {
        if (recorderId == null || recorderId.length() > MAX_ID_CHARS) {
            return Optional.empty();
        }
        return jdbi.withHandle(handle -> handle.createQuery("select * from recorders where id = :id")
                .bind("id", recorderId)
                .map(ConstructorMapper.of(RecorderRow.class))
                .findOne());
    }

    /** Normalizes the code's first group exactly as {@link ActivationCode#parse} does when people type it. */
    private static String codeId(String typed) {
        if (typed == null || typed.length() > MAX_TYPED_CODE_ID_CHARS) {
            throw ApiFailure.badRequest("bad-code", UNKNOWN_CODE);
        }
        try {
            // parse() wants a whole code; padding the id with a dummy secret reuses its rules exactly.
            return ActivationCode.parse(typed + SECRET_PADDING).id();
        } catch (IllegalArgumentException e) {
            throw ApiFailure.badRequest("bad-code", UNKNOWN_CODE);
        }
    }

    private static String recorderName(String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw ApiFailure.badRequest("bad-name", "recorder name must have 1 to " + MAX_NAME_CHARS + " characters");
        }
        return name;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String clip(String text, int max) {
        String value = orEmpty(text);
        return value.length() <= max ? value : value.substring(0, max);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
