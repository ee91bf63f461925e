package dev.outpost.wire.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Recorders' local HTTPS certificates. The cloud is a small certificate authority: at activation it certifies the
 * recorder's own key for one name, {@code RECORDERID.recorders.outpost.invalid} (a reserved top-level domain, RFC
 * 2606, so it can never be a real host). Viewers reach a recorder by whatever address the broker gives (a LAN IP,
 * a Direct Connect name) and check that the certificate chains to the cloud's recorder CA and names that
 * recorder, instead of trusting any certificate or matching the address.
 */
public final class RecorderCertificates {
    public static final String NAME_SUFFIX = ".recorders.outpost.invalid";

    private RecorderCertificates() {
    }

    /** The one name a recorder's certificate carries. */
    public static String name(String recorderId) {
        return recorderId + NAME_SUFFIX;
    }

    /** A new key pair for a recorder's local HTTPS (ECDSA P-256), made on the recorder. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is a required JDK algorithm", e);
        }
    }

    /** Trusts only certificates of {@code recorderId} issued by {@code authority}, whatever address was dialled. */
    public static ServerOnlyTrustManager trustManager(X509Certificate authority, String recorderId) {
        return new RecorderTrustManager(authority, name(recorderId));
    }

    private static final class RecorderTrustManager extends ServerOnlyTrustManager {
        private final X509Certificate authority;
        private final String name;

        RecorderTrustManager(X509Certificate authority, String name) {
            this.authority = authority;
            this.name = name;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the recorder presented no certificate");
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
                parameters.setRevocationEnabled(false);
                List<X509Certificate> path = List.of(chain).stream()
                        .filter(c -> !c.equals(authority)).toList();
                CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
            } catch (CertPathValidatorException e) {
                throw new CertificateException("the recorder's certificate was not issued by this cloud's recorder "
                        + "CA: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new CertificateException("cannot check the recorder's certificate: " + e.getMessage(), e);
            }
            if (!names(chain[0]).contains(name)) {
                throw new CertificateException("the certificate is for " + names(chain[0]) + ", not for " + name
                        + ": another recorder answered at this address");
            }
        }

        private static List<String> names(X509Certificate certificate) throws CertificateParsingException {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives == null) {
                return List.of();
            }
            // RFC 5280 section 4.2.1.6: type 2 is dNSName.
            return alternatives.stream().filter(a -> Integer.valueOf(2).equals(a.get(0)))
                    .map(a -> String.valueOf(a.get(1))).toList();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {authority};
        }
    }
}
