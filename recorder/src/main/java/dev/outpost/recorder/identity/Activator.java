package dev.outpost.recorder.identity;

import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.ActivationResponse;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.Pem;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Activates a recorder with a code an installer typed: proves to the cloud that it knows the code,
 * bound to the TLS certificate it saw, and accepts the answer only if the cloud proves the same
 * (see {@code ActivationProof}). The code itself never crosses the network, so a man in the middle
 * can neither use it nor pose as the cloud.
 *
 * <p>The certificate is pinned when the certificate authorities do not vouch for it under the name
 * the recorder used ({@code https://192.168.1.5:8443} with the cloud's self-signed certificate), and
 * trusted through them otherwise ({@value ActivationProof#PKI_BINDING}), which is also how a site whose
 * TLS-inspecting proxy re-signs everything can activate at all.
 */
public final class Activator {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final Duration timeout;
    private final ProxySelector proxySelector;
    private final CloudTrust authorities;
    private final java.util.Optional<java.net.Authenticator> proxyAuthenticator;

    /** Platform certificate authorities, the default proxy selector (https.proxyHost), 15 s timeouts. */
    public Activator() {
        this(DEFAULT_TIMEOUT, ProxySelector.getDefault(), CloudTrust.platform());
    }

    /**
     * @param timeout       for connecting and for each answer
     * @param proxySelector how to reach the cloud ({@code HttpClient.Builder.NO_PROXY} for none)
     * @param authorities   the certificate authorities that may vouch for the cloud: the platform's, or a
     *                      configured CA file ({@link CloudTrust#authorities}); never a pinned trust
     */
    public Activator(Duration timeout, ProxySelector proxySelector, CloudTrust authorities) {
        this(timeout, proxySelector, java.util.Optional.empty(), authorities);
    }

    /**
     * @param proxyAuthenticator answers a proxy's 407 (Basic); the JVM must allow Basic for CONNECT
     *                           tunnels ({@code jdk.http.auth.tunneling.disabledSchemes} empty), as
     *                           the {@code outpost} launcher sets it
     */
    public Activator(Duration timeout, ProxySelector proxySelector, java.util.Optional<java.net.Authenticator> proxyAuthenticator,
                     CloudTrust authorities) {
        this.proxyAuthenticator = proxyAuthenticator;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.proxySelector = proxySelector == null ? HttpClient.Builder.NO_PROXY : proxySelector;
        if (authorities.pinned()) {
            throw new IllegalArgumentException("activation needs certificate authorities, not a pinned certificate");
        }
        this.authorities = authorities;
    }

    /**
     * Activates this recorder at {@code cloudUrl} with the code the installer typed. The identity is
     * returned, not saved: the caller saves it ({@link RecorderIdentity#save}) before using it.
     */
    public RecorderIdentity activate(URI cloudUrl, String typedCode, String software)
            throws ActivationException, InterruptedException {
        return activateWithLocalCertificate(cloudUrl, typedCode, software).identity();
    }

    /** What activation gives: the identity, and the local HTTPS certificate when the cloud issued one. */
    public record Activated(RecorderIdentity identity, java.util.Optional<LocalCertificate> localCertificate) {
    }

    /**
     * Activates as {@link #activate} does, also asking the cloud to certify a key made here for the local
     * HTTPS API. Neither is saved: the caller saves both.
     */
    public Activated activateWithLocalCertificate(URI cloudUrl, String typedCode, String software)
            throws ActivationException, InterruptedException {
        java.security.KeyPair localKey = dev.outpost.wire.tls.RecorderCertificates.newKeyPair();
        URI base = baseUrl(cloudUrl);
        ActivationCode code;
        try {
            code = ActivationCode.parse(typedCode);
        } catch (IllegalArgumentException e) {
            throw new ActivationException("bad-code", e.getMessage(), e);
        }
        FirstContactTrustManager trust = new FirstContactTrustManager(authorities.trustManager());
        HttpClient.Builder builder = HttpClient.newBuilder();
        proxyAuthenticator.ifPresent(builder::authenticator);
        try (HttpClient client = builder
                .sslContext(firstContactContext(trust))
                .proxy(proxySelector)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            // First contact: the proof must name the certificate before it is sent, so meet the server
            // once; any answer will do. The activation request then reuses the connection.
            send(client, HttpRequest.newBuilder(URI.create(base + "/")).timeout(timeout)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), base);
            X509Certificate seen = trust.seen().orElseThrow(() -> new ActivationException("unreachable",
                    "the server at " + base + " presented no certificate"));
            String binding = trust.vouchedForHost() ? ActivationProof.PKI_BINDING : Fingerprint.of(seen);

            byte[] proofKey = code.proofKey();
            ActivationRequest body = new ActivationRequest(code.id(), binding,
                    ActivationProof.recorderProof(proofKey, binding), software, Pem.write(localKey.getPublic()));
            HttpResponse<byte[]> response = send(client, HttpRequest.newBuilder(URI.create(base + "/api/activate"))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
                    .build(), base);
            if (!binding.equals(ActivationProof.PKI_BINDING)
                    && !trust.seen().map(Fingerprint::of).orElse("").equals(binding)) {
                throw notTheCloud(base, "its certificate changed between two requests");
            }
            if (response.statusCode() / 100 != 2) {
                throw refusal(base, response);
            }
            RecorderIdentity identity = identity(base, code, binding, response.body());
            return new Activated(identity, localCertificate(base, localKey, response.body()));
        }
    }

    /** The certificate the cloud issued for our key, checked to be for that key; empty from an older cloud. */
    private static java.util.Optional<LocalCertificate> localCertificate(URI base, java.security.KeyPair key,
                                                                           byte[] body) throws ActivationException {
        String pem = Json.read(body, ActivationResponse.class).localCertificatePem();
        if (pem == null || pem.isBlank()) {
            return java.util.Optional.empty();
        }
        java.util.List<X509Certificate> chain;
        try {
            chain = Pem.readCertificates(pem);
        } catch (IllegalArgumentException e) {
            throw badAnswer(base, "localCertificatePem is not a PEM certificate chain");
        }
        if (!chain.getFirst().getPublicKey().equals(key.getPublic())) {
            throw badAnswer(base, "localCertificatePem certifies another key than the one sent");
        }
        return java.util.Optional.of(new LocalCertificate(key.getPrivate(), chain));
    }

    private RecorderIdentity identity(URI base, ActivationCode code, String binding, byte[] body)
            throws ActivationException {
        ActivationResponse answer;
        try {
            answer = Json.read(body, ActivationResponse.class);
        } catch (RuntimeException e) {
            throw badAnswer(base, "not an activation answer");
        }
        if (answer.recorderId() == null || answer.cloudProof() == null) {
            throw badAnswer(base, "recorderId or cloudProof missing");
        }
        String expected = ActivationProof.cloudProof(code.proofKey(), binding, answer.recorderId());
        if (!ActivationProof.matches(expected, answer.cloudProof())) {
            throw notTheCloud(base, "its proof does not match the code");
        }
        if (!binding.equals(ActivationProof.PKI_BINDING)) {
            String claimed;
            try {
                claimed = Fingerprint.of(Pem.readCertificates(Objects.requireNonNullElse(answer.cloudCertificatePem(), "")).getFirst());
            } catch (IllegalArgumentException e) {
                throw badAnswer(base, "cloudCertificatePem is not a PEM certificate");
            }
            if (!claimed.equals(binding)) {
                throw notTheCloud(base, "it presented certificate " + binding + " but the cloud serves " + claimed
                        + " (is a TLS-inspecting proxy in between? then configure its CA certificate)");
            }
        }
        PublicKey grantKey;
        try {
            grantKey = RecorderIdentity.decodePublicKey(Objects.requireNonNullElse(answer.grantPublicKey(), ""));
        } catch (IllegalArgumentException e) {
            throw badAnswer(base, e.getMessage());
        }
        try {
            return new RecorderIdentity(answer.recorderId(),
                    answer.recorderName() == null || answer.recorderName().isBlank() ? answer.recorderId() : answer.recorderName(),
                    answer.credential(), grantKey, base, binding);
        } catch (IllegalArgumentException e) {
            throw badAnswer(base, e.getMessage());
        }
    }

    private static ActivationException refusal(URI base, HttpResponse<byte[]> response) {
        ApiError error;
        try {
            error = Json.read(response.body(), ApiError.class);
        } catch (RuntimeException e) {
            error = null;
        }
        if (error == null || error.error() == null) {
            return new ActivationException("bad-answer", "the server at " + base + " answered HTTP "
                    + response.statusCode() + " to /api/activate without an Outpost error: is it an Outpost cloud?");
        }
        String said = error.message() == null ? error.error() : error.message();
        return switch (error.error()) {
            case "bad-code" -> new ActivationException("bad-code", "the cloud does not accept this activation code ("
                    + said + "): check it, or create a new one in the cloud under Recorders");
            case "code-expired" -> new ActivationException("code-expired", "the activation code expired (" + said
                    + "): create a new one in the cloud under Recorders");
            case "code-used" -> new ActivationException("code-used", "the activation code was already used (" + said
                    + "): create a new one in the cloud under Recorders");
            default -> new ActivationException("refused", "the cloud refused activation with HTTP " + response.statusCode()
                    + " " + error.error() + ": " + said);
        };
    }

    private static ActivationException notTheCloud(URI base, String why) {
        return new ActivationException("not-the-cloud", "the server at " + base
                + " could not prove it is the cloud that issued this code: " + why);
    }

    private static ActivationException badAnswer(URI base, String why) {
        return new ActivationException("bad-answer", "the server at " + base + " gave an activation answer that cannot be used: "
                + why);
    }

    private HttpResponse<byte[]> send(HttpClient client, HttpRequest request, URI base)
            throws ActivationException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ActivationException("unreachable", "cannot reach the cloud at " + base + ": " + describe(e)
                    + " (check the URL, and the proxy settings if the site has one)", e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static SSLContext firstContactContext(FirstContactTrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable", e);
        }
    }

    /** {@code https://host[:port][/prefix]} without query or trailing slash: where the cloud's API lives. */
    static URI baseUrl(URI cloudUrl) throws ActivationException {
        if (cloudUrl == null || !"https".equalsIgnoreCase(cloudUrl.getScheme()) || cloudUrl.getHost() == null) {
            throw new ActivationException("bad-url", "the cloud URL must look like https://cloud.example.com:8443, not "
                    + cloudUrl);
        }
        String path = cloudUrl.getPath() == null ? "" : cloudUrl.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI("https", null, cloudUrl.getHost(), cloudUrl.getPort(), path.isEmpty() ? null : path, null, null);
        } catch (URISyntaxException e) {
            throw new ActivationException("bad-url", "the cloud URL " + cloudUrl + " is not valid: " + e.getMessage(), e);
        }
    }
}
