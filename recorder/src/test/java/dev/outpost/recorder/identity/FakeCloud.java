package dev.outpost.recorder.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.ActivationResponse;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.CertifiedKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Just enough of a cloud for activation: HTTPS with its own certificate, one activation code, and
 * the checks and proofs of {@code POST /api/activate}. {@link #behaviour} makes it misbehave.
 */
final class FakeCloud implements AutoCloseable {
    enum Behaviour { HONEST, WRONG_PROOF, CODE_USED, CODE_EXPIRED, OTHER_CERTIFICATE, NOT_JSON }

    final ActivationCode code = ActivationCode.generate(new SecureRandom());
    final CertifiedKey certificate;
    final KeyPair grantKeys;
    final HttpsServer server;
    volatile Behaviour behaviour = Behaviour.HONEST;
    volatile ActivationRequest received;

    FakeCloud(List<String> certificateNames) throws Exception {
        certificate = CertifiedKey.selfSigned("cloud", certificateNames, Duration.ofDays(1));
        grantKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("cloud", certificate.privateKey(), password, new X509Certificate[] {certificate.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    String fingerprint() {
        return Fingerprint.of(certificate.certificate());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/api/activate")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            ActivationRequest request = Json.read(exchange.getRequestBody().readAllBytes(), ActivationRequest.class);
            received = request;
            // The cloud checks the proof against its own certificate, or takes "pki" on trust.
            boolean bindingOk = request.binding().equals(fingerprint()) || request.binding().equals(ActivationProof.PKI_BINDING);
            if (!request.codeId().equals(code.id()) || !bindingOk || !ActivationProof.matches(
                    ActivationProof.recorderProof(code.proofKey(), request.binding()), request.proof())) {
                answer(exchange, 400, new ApiError("bad-code", "no such activation code"));
                return;
            }
            switch (behaviour) {
                case CODE_USED -> answer(exchange, 409, new ApiError("code-used", "used on 2026-11-20 by rec-9"));
                case CODE_EXPIRED -> answer(exchange, 410, new ApiError("code-expired", "expired at 2026-11-22T10:00:00Z"));
                case NOT_JSON -> {
                    byte[] html = "<html>proxy error</html>".getBytes();
                    exchange.sendResponseHeaders(502, html.length);
                    exchange.getResponseBody().write(html);
                }
                default -> {
                    String recorderId = "rec-42";
                    String proof = behaviour == Behaviour.WRONG_PROOF
                            ? ActivationProof.cloudProof(new byte[32], request.binding(), recorderId)
                            : ActivationProof.cloudProof(code.proofKey(), request.binding(), recorderId);
                    X509Certificate served = behaviour == Behaviour.OTHER_CERTIFICATE
                            ? CertifiedKey.selfSigned("other", List.of("other"), Duration.ofDays(1)).certificate()
                            : certificate.certificate();
                    answer(exchange, 200, new ActivationResponse(recorderId, "Warehouse", "link-credential-xyz",
                            Base64.getEncoder().encodeToString(grantKeys.getPublic().getEncoded()), Pem.write(served), proof));
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = Json.write(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
