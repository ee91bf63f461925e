package dev.outpost.cloud;

import dev.outpost.cloud.stun.StunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a cloud node is configured with. Every setting is documented in docs/configuration.md;
 * {@link #defaults(Path)} runs on a laptop with nothing else configured.
 *
 * @param dataDir            certificates, the grant key and the embedded database live here
 * @param bindAddress        address of the one TLS port
 * @param port               the one TLS port (443 in production; 0 picks a free one)
 * @param publicNames        host names and addresses put in a generated certificate
 * @param tlsCertificate     PEM certificate chain to serve instead of a generated one
 * @param tlsKey             PEM private key of {@code tlsCertificate}
 * @param jdbcUrl            PostgreSQL JDBC URL; empty for the embedded H2 database in {@code dataDir}
 * @param adminEmail         the first admin, created on first start
 * @param adminPassword      the first admin's password; generated and printed once when empty
 * @param maxStreamsPerRecorder relayed requests open at once per recorder; past it the relay answers 503
 * @param relayResponseTimeout how long the relay waits for a recorder's response headers
 * @param grantLifetime      how long a grant is good for
 * @param activationCodeLifetime how long an activation code is good for
 * @param trustedProxies     reverse proxies in front of the cloud whose {@code Forwarded}/{@code X-Forwarded-For}
 *                           headers give a viewer's public address; nobody else's are believed
 * @param stun               the STUN server on UDP (3478 by default) for peer-to-peer, docs/p2p.md
 * @param mail               the SMTP server alerts are emailed through; {@link MailSettings#NONE} sends none
 * @param s3                 an S3-compatible store for images, backups and clips; empty: {@code dataDir/objects}
 */
public record CloudConfig(Path dataDir, String bindAddress, int port, List<String> publicNames,
                          Optional<Path> tlsCertificate, Optional<Path> tlsKey, Optional<String> jdbcUrl,
                          Optional<String> jdbcUser, Optional<String> jdbcPassword, String adminEmail,
                          Optional<String> adminPassword, int maxStreamsPerRecorder, Duration relayResponseTimeout,
                          Duration grantLifetime, Duration activationCodeLifetime,
                          List<dev.outpost.cloud.paths.Cidr> trustedProxies, StunSettings stun,
                          MailSettings mail, Optional<dev.outpost.cloud.objects.S3Settings> s3) {
    public CloudConfig {
        trustedProxies = List.copyOf(trustedProxies);
        java.util.Objects.requireNonNull(mail, "mail");
        java.util.Objects.requireNonNull(s3, "s3");
    }

    /** Every setting but the object store, which is the data directory. */
    public CloudConfig(Path dataDir, String bindAddress, int port, List<String> publicNames,
                       Optional<Path> tlsCertificate, Optional<Path> tlsKey, Optional<String> jdbcUrl,
                       Optional<String> jdbcUser, Optional<String> jdbcPassword, String adminEmail,
                       Optional<String> adminPassword, int maxStreamsPerRecorder, Duration relayResponseTimeout,
                       Duration grantLifetime, Duration activationCodeLifetime,
                       List<dev.outpost.cloud.paths.Cidr> trustedProxies, StunSettings stun, MailSettings mail) {
        this(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser, jdbcPassword,
                adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, Optional.empty());
    }

    /** Every setting but email, which is off. */
    public CloudConfig(Path dataDir, String bindAddress, int port, List<String> publicNames,
                       Optional<Path> tlsCertificate, Optional<Path> tlsKey, Optional<String> jdbcUrl,
                       Optional<String> jdbcUser, Optional<String> jdbcPassword, String adminEmail,
                       Optional<String> adminPassword, int maxStreamsPerRecorder, Duration relayResponseTimeout,
                       Duration grantLifetime, Duration activationCodeLifetime,
                       List<dev.outpost.cloud.paths.Cidr> trustedProxies, StunSettings stun) {
        this(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser, jdbcPassword,
                adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, MailSettings.NONE);
    }

    /** The configuration without trusted proxies (every viewer's address is its TCP peer's). */
    public CloudConfig(Path dataDir, String bindAddress, int port, List<String> publicNames,
                       Optional<Path> tlsCertificate, Optional<Path> tlsKey, Optional<String> jdbcUrl,
                       Optional<String> jdbcUser, Optional<String> jdbcPassword, String adminEmail,
                       Optional<String> adminPassword, int maxStreamsPerRecorder, Duration relayResponseTimeout,
                       Duration grantLifetime, Duration activationCodeLifetime) {
        this(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser, jdbcPassword,
                adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, List.of());
    }

    /** Every setting but STUN, which gets its default (UDP 3478). */
    public CloudConfig(Path dataDir, String bindAddress, int port, List<String> publicNames,
                       Optional<Path> tlsCertificate, Optional<Path> tlsKey, Optional<String> jdbcUrl,
                       Optional<String> jdbcUser, Optional<String> jdbcPassword, String adminEmail,
                       Optional<String> adminPassword, int maxStreamsPerRecorder, Duration relayResponseTimeout,
                       Duration grantLifetime, Duration activationCodeLifetime,
                       List<dev.outpost.cloud.paths.Cidr> trustedProxies) {
        this(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser, jdbcPassword,
                adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, StunSettings.defaults());
    }

    public CloudConfig withTrustedProxies(List<dev.outpost.cloud.paths.Cidr> proxies) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, proxies, stun, mail, s3);
    }

    public static CloudConfig defaults(Path dataDir) {
        return new CloudConfig(dataDir, "0.0.0.0", 8443, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "admin@outpost.local", Optional.empty(),
                64, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(24));
    }

    public CloudConfig withPort(int newPort) {
        return new CloudConfig(dataDir, bindAddress, newPort, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withBindAddress(String address) {
        return new CloudConfig(dataDir, address, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withAdmin(String email, Optional<String> password) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, email, password, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withDatabase(Optional<String> url, Optional<String> user, Optional<String> password) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, url, user, password,
                adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withMaxStreamsPerRecorder(int max) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, max, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withTls(Optional<Path> certificate, Optional<Path> key, List<String> names) {
        return new CloudConfig(dataDir, bindAddress, port, names, certificate, key, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, s3);
    }

    public CloudConfig withStun(StunSettings settings) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, settings, mail, s3);
    }

    public CloudConfig withMail(MailSettings settings) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, settings, s3);
    }

    public CloudConfig withS3(Optional<dev.outpost.cloud.objects.S3Settings> settings) {
        return new CloudConfig(dataDir, bindAddress, port, publicNames, tlsCertificate, tlsKey, jdbcUrl, jdbcUser,
                jdbcPassword, adminEmail, adminPassword, maxStreamsPerRecorder, relayResponseTimeout, grantLifetime,
                activationCodeLifetime, trustedProxies, stun, mail, settings);
    }

    @Override
    public String toString() {
        return "CloudConfig[dataDir=" + dataDir + ", bind=" + bindAddress + ":" + port + ", database="
                + jdbcUrl.orElse("embedded H2") + ", admin=" + adminEmail + ", mail=" + mail + ", objects=" + s3.map(Object::toString).orElse("directory") + "]";
    }
}
