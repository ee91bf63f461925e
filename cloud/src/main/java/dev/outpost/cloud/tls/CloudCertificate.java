package dev.outpost.cloud.tls;

import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.CertifiedKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the cloud serves on its one TLS port: the operator's PEM files when configured, else
 * a self-signed one generated on first start and kept in the data directory.
 */
public record CloudCertificate(List<X509Certificate> chain, PrivateKey key, boolean selfSigned) {
    private static final Logger LOG = LoggerFactory.getLogger(CloudCertificate.class);
    static final String CERT_FILE = "tls/cloud.crt";
    static final String KEY_FILE = "tls/cloud.key";

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public String fingerprint() {
        return Fingerprint.of(leaf());
    }

    public String leafPem() {
        return Pem.write(leaf());
    }

    /** Loads the configured PEM pair, or the data directory's self-signed pair, creating it if absent. */
    public static CloudCertificate load(Optional<Path> certificatePem, Optional<Path> keyPem, Path dataDir,
                                        List<String> publicNames) throws IOException {
        if (certificatePem.isPresent() != keyPem.isPresent()) {
            throw new IllegalArgumentException("configure both tls.certificate and tls.key, or neither");
        }
        if (certificatePem.isPresent()) {
            return new CloudCertificate(Pem.readCertificates(certificatePem.get()), Pem.readPrivateKey(keyPem.get()), false);
        }
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return new CloudCertificate(Pem.readCertificates(cert), Pem.readPrivateKey(key), true);
        }
        List<String> names = defaultNames(publicNames);
        CertifiedKey generated = CertifiedKey.selfSigned(names.getFirst(), names, Duration.ofDays(3650));
        Files.createDirectories(cert.getParent());
        Files.writeString(cert, Pem.write(generated.certificate()));
        Path tmp = Files.createTempFile(key.getParent(), "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Pem.write(generated.privateKey()));
        Files.move(tmp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("generated a self-signed certificate for {} in {} (fingerprint {})", names, cert.getParent(),
                Fingerprint.of(generated.certificate()));
        return new CloudCertificate(List.of(generated.certificate()), generated.privateKey(), true);
    }

    private static List<String> defaultNames(List<String> publicNames) {
        LinkedHashSet<String> names = new LinkedHashSet<>(publicNames);
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // No host name: the others still serve.
        }
        return new ArrayList<>(names);
    }
}
