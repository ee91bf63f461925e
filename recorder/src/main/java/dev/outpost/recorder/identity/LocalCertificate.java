package dev.outpost.recorder.identity;

import dev.outpost.recorder.store.OwnerOnlyFile;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.TlsProvider;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The recorder's certificate for its local HTTPS, issued by the cloud at activation for a key made here (the
 * private key never leaves the recorder), kept in {@code DATA/local-tls/} ({@code key.pem} mode 0600,
 * {@code chain.pem}: the recorder's certificate then the cloud's recorder CA).
 */
public record LocalCertificate(PrivateKey key, List<X509Certificate> chain) {
    static final String DIRECTORY = "local-tls";

    public LocalCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a local certificate needs at least the recorder's own certificate");
        }
    }

    public static Optional<LocalCertificate> load(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIRECTORY);
        Path key = dir.resolve("key.pem");
        Path chain = dir.resolve("chain.pem");
        if (!Files.exists(key) || !Files.exists(chain)) {
            return Optional.empty();
        }
        return Optional.of(new LocalCertificate(Pem.readPrivateKey(key), Pem.readCertificates(chain)));
    }

    public void save(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIRECTORY);
        OwnerOnlyFile.replace(dir.resolve("key.pem"), Pem.write(key).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFile.replace(dir.resolve("chain.pem"), Pem.write(chain.toArray()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The TLS server context of the local API. */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).sslProvider(TlsProvider.netty()).build();
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot use the local certificate in " + DIRECTORY, e);
        }
    }
}
