package dev.outpost.cloud.tls;

import dev.outpost.wire.tls.CertificateAuthority;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.RecorderCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's certificate authority for recorders' local HTTPS: made on first start and kept in the data
 * directory ({@code tls/recorders-ca.crt}, key {@code tls/recorders-ca.key} mode 0600). At activation it
 * certifies the key the recorder made for the one name {@link RecorderCertificates#name}.
 */
public final class RecorderCa {
    private static final Logger LOG = LoggerFactory.getLogger(RecorderCa.class);
    static final String CERT_FILE = "tls/recorders-ca.crt";
    static final String KEY_FILE = "tls/recorders-ca.key";
    static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);
    /** Recorders get a new certificate when they are activated again; renewal over the link is to come. */
    public static final Duration RECORDER_VALIDITY = Duration.ofDays(825);

    private final CertificateAuthority authority;

    private RecorderCa(CertificateAuthority authority) {
        this.authority = authority;
    }

    public static RecorderCa load(Path dataDir) throws IOException {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return new RecorderCa(new CertificateAuthority(Pem.readCertificates(cert).getFirst(), Pem.readPrivateKey(key)));
        }
        CertificateAuthority generated = CertificateAuthority.generate("Outpost recorders CA", CA_VALIDITY);
        Files.createDirectories(cert.getParent());
        Path tmp = Files.createTempFile(key.getParent(), "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Pem.write(generated.privateKey()));
        Files.move(tmp, key, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(cert, Pem.write(generated.certificate()));
        LOG.info("made the certificate authority for recorders' local HTTPS in {}", cert);
        return new RecorderCa(generated);
    }

    public X509Certificate certificate() {
        return authority.certificate();
    }

    public String certificatePem() {
        return Pem.write(authority.certificate());
    }

    /** The recorder's certificate then this CA's, as PEM. */
    public String issue(String recorderId, PublicKey recorderKey) {
        X509Certificate leaf = authority.issueServer(recorderKey, RecorderCertificates.name(recorderId),
                List.of(RecorderCertificates.name(recorderId)), RECORDER_VALIDITY);
        return Pem.write(leaf, authority.certificate());
    }
}
