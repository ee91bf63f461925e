package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.grant.GrantSigner;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder's local port serves only requests that carry a grant the cloud signed for this very
 * recorder and that has not expired. Forged, expired, misdirected, unsigned and tampered grants get
 * 401 with a word that says which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityGrantTest {
    Site site;
    OutpostClient admin;
    Recorder recorder;
    Recorder other;
    PrivateKey cloudKey;
    HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        admin = site.admin();
        recorder = site.recorder("Front door");
        other = site.recorder("Back door");
        // Only the cloud holds this key; the test reads it from the cloud's data directory to sign
        // grants the cloud itself would never issue (already expired, for example).
        cloudKey = Pem.readPrivateKey(site.cloud().config().dataDir().resolve("grants/ed25519.key"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        http.close();
        site.close();
    }

    private HttpResponse<String> info(Optional<String> authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + recorder.localPort() + "/api/info")).timeout(Duration.ofSeconds(10));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> infoWithGrant(String grant) throws Exception {
        return info(Optional.of("Bearer " + grant));
    }

    private static String error(HttpResponse<String> response) {
        return Json.read(response.body().getBytes(StandardCharsets.UTF_8), ApiError.class).error();
    }

    private Grant grant(String recorderId, Instant issuedAt, Instant expiresAt) {
        return new Grant("test-grant", admin.me().id(), recorderId, Set.of(Grant.VIEW), issuedAt, expiresAt);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGrantFromTheCloudOpensTheLocalPort() throws Exception {
        HttpResponse<String> response = infoWithGrant(admin.grant(recorder.identity().recorderId()).grant());

        assertThat(response.statusCode()).isEqualTo(200);
        RecorderInfo info = Json.read(response.body().getBytes(StandardCharsets.UTF_8), RecorderInfo.class);
        assertThat(info.recorderId()).isEqualTo(recorder.identity().recorderId());
        assertThat(info.user()).isEqualTo(admin.me().id());
    }

    @Test
    void noGrantIs401GrantMissingWithABearerChallenge() throws Exception {
        HttpResponse<String> response = info(Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-missing");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).contains("ask the cloud");
    }

    @Test
    void anotherSchemeThanBearerIs401GrantMissing() throws Exception {
        HttpResponse<String> response = info(Optional.of("Basic YWRtaW46YWRtaW4="));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-missing");
    }

    @Test
    void aGrantSignedByAnotherKeyIs401BadSignature() throws Exception {
        PrivateKey forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        Instant now = Instant.now();
        String forged = new GrantSigner(forger).sign(grant(recorder.identity().recorderId(), now, now.plusSeconds(300)));

        HttpResponse<String> response = infoWithGrant(forged);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-bad-signature");
    }

    @Test
    void anExpiredGrantIs401GrantExpired() throws Exception {
        Instant now = Instant.now();
        // Beyond the recorder's 30 s allowance for clock skew.
        String expired = new GrantSigner(cloudKey).sign(grant(recorder.identity().recorderId(),
                now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(5))));

        HttpResponse<String> response = infoWithGrant(expired);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-expired");
        assertThat(response.body()).contains("ask the cloud for a new one");
    }

    @Test
    void aGrantIssuedInTheFutureIs401NotYetValid() throws Exception {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        String early = new GrantSigner(cloudKey).sign(grant(recorder.identity().recorderId(), later,
                later.plus(Duration.ofMinutes(5))));

        HttpResponse<String> response = infoWithGrant(early);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-not-yet-valid");
        assertThat(response.body()).contains("clock");
    }

    @Test
    void theCloudsGrantForAnotherRecorderIs401WrongRecorder() throws Exception {
        String forOther = admin.grant(other.identity().recorderId()).grant();

        HttpResponse<String> response = infoWithGrant(forOther);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-wrong-recorder");
    }

    @Test
    void anUnsignedGrantWithAlgNoneIsRefused() throws Exception {
        Instant now = Instant.now();
        String payload = b64("{\"jti\":\"x\",\"iss\":\"outpost-cloud\",\"sub\":\"" + admin.me().id() + "\",\"aud\":\""
                + recorder.identity().recorderId() + "\",\"rights\":[\"view\",\"admin\"],\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plusSeconds(300).getEpochSecond() + "}");
        for (String header : new String[] {"{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"none\"}",
                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"}) {
            for (String unsigned : new String[] {b64(header) + "." + payload + ".", b64(header) + "." + payload}) {
                HttpResponse<String> response = infoWithGrant(unsigned);

                assertThat(response.statusCode()).as("%s", header).isEqualTo(401);
                assertThat(error(response)).as("%s", header).isEqualTo("grant-malformed");
            }
        }
    }

    @Test
    void aTamperedPayloadIs401BadSignature() throws Exception {
        String genuine = admin.grant(other.identity().recorderId()).grant();
        String[] parts = genuine.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        // Point the cloud's genuine grant for another recorder at this one, keeping the signature.
        String retargeted = claims.replace(other.identity().recorderId(), recorder.identity().recorderId());
        assertThat(retargeted).isNotEqualTo(claims);
        String tampered = parts[0] + "." + b64(retargeted) + "." + parts[2];

        HttpResponse<String> response = infoWithGrant(tampered);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-bad-signature");

        // The cloud's own header and payload without a signature, or with another grant's, are no better.
        String own = admin.grant(recorder.identity().recorderId()).grant();
        String[] ownParts = own.split("\\.");
        for (String unsigned : new String[] {ownParts[0] + "." + ownParts[1] + ".", ownParts[0] + "." + ownParts[1] + "." + parts[2]}) {
            HttpResponse<String> refused = infoWithGrant(unsigned);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(error(refused)).isEqualTo("grant-bad-signature");
        }
    }

    @Test
    void garbageAndOversizedGrantsAre401GrantMalformed() throws Exception {
        String genuine = admin.grant(recorder.identity().recorderId()).grant();
        for (String bad : new String[] {"not-a-grant", "a.b.c.d", genuine + "x.y", genuine.replace('.', '!'),
                genuine.substring(0, genuine.lastIndexOf('.')) + ".%%%%", "x".repeat(5000)}) {
            HttpResponse<String> response = infoWithGrant(bad);

            assertThat(response.statusCode()).as("grant %s", bad.length() > 40 ? bad.substring(0, 40) : bad).isEqualTo(401);
            assertThat(error(response)).as("grant %s", bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isIn("grant-malformed", "grant-bad-signature");
        }
        // After all that, the genuine grant still works on the same port.
        assertThat(infoWithGrant(genuine).statusCode()).isEqualTo(200);
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        String genuine = admin.grant(recorder.identity().recorderId()).grant();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recorder.localPort() + "/api/info"))
                .header("Authorization", "Bearer " + genuine)
                .header("Authorization", "Bearer forged")
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("grant-malformed");
    }
}
