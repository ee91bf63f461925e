package dev.outpost.recorder.identity;

import dev.outpost.wire.tls.Pem;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Pem.write(key));
        Files.move(tmp, dir.resolve("key.pem"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("chain.pem"), Pem.write(chain.toArray()));
    }

    /** The TLS server context of the local API. */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)).build();
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot use the local certificate in " + DIRECTORY, e);
        }
    }
}
