package dev.outpost.cli;

import dev.outpost.cloud.CloudConfig;
import dev.outpost.cloud.CloudServer;
import dev.outpost.cloud.stun.StunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outpost cloud}: runs a cloud node; {@code outpost cloud recorder add} makes activation codes. */
@Command(name = "cloud", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an Outpost cloud: accounts, recorder links and the relay on one TLS port.",
        subcommands = CloudCommand.RecorderGroup.class)
public final class CloudCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (keys are these option names).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "outpost-data/cloud",
            description = "Data directory: certificate, grant key, embedded database. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--port", defaultValue = "8443", description = "The one TLS port (443 in production). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--name", split = ",", paramLabel = "HOST",
            description = "Public host names or addresses of this cloud, for the generated certificate.")
    List<String> names = List.of();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain to serve instead of a self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL; default: embedded H2 in the data directory.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "PostgreSQL user.")
    String jdbcUser;

    @Option(names = "--jdbc-password", paramLabel = "PASSWORD", description = "PostgreSQL password (better: OUTPOST_JDBC_PASSWORD).")
    String jdbcPassword;

    @Option(names = "--admin-email", defaultValue = "admin@outpost.local", description = "First admin, created on first start. Default: ${DEFAULT-VALUE}.")
    String adminEmail;

    @Option(names = "--admin-password", paramLabel = "PASSWORD",
            description = "First admin's password (better: OUTPOST_ADMIN_PASSWORD); generated and printed once when absent.")
    String adminPassword;

    @Option(names = "--max-streams-per-recorder", defaultValue = "64",
            description = "Relayed requests open at once per recorder; past it the relay answers 503. Default: ${DEFAULT-VALUE}.")
    int maxStreamsPerRecorder;

    @Option(names = "--relay-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long the relay waits for a recorder's response headers. Default: ${DEFAULT-VALUE}.")
    int relayTimeoutSeconds;

    @Option(names = "--trusted-proxy", split = ",", paramLabel = "CIDR",
            description = "Reverse proxies in front of the cloud (addresses or CIDR ranges) whose Forwarded or "
                    + "X-Forwarded-For headers give a viewer's public address; nobody else's are believed.")
    List<String> trustedProxies = List.of();

    @Option(names = "--stun-port", defaultValue = "3478", paramLabel = "N",
            description = "UDP port of the STUN server for peer-to-peer; 0 turns it off. Default: ${DEFAULT-VALUE}.")
    int stunPort;

    @Option(names = "--stun-bind", paramLabel = "ADDRESS",
            description = "Address of the STUN server. Default: the --bind address.")
    String stunBind;

    @Option(names = "--stun-alternate", paramLabel = "ADDRESS",
            description = "A second address of this machine: with it the STUN server also answers NAT behaviour "
                    + "discovery (RFC 5780) on 2 addresses x 2 ports; --stun-bind must then be a specific address.")
    String stunAlternate;

    @Option(names = "--stun-alternate-port", defaultValue = "3479", paramLabel = "N",
            description = "The second STUN port, used with --stun-alternate. Default: ${DEFAULT-VALUE}.")
    int stunAlternatePort;

    @Option(names = "--smtp-host", paramLabel = "HOST", description = "SMTP server to email alerts through; none: no emails.")
    String smtpHost;

    @Option(names = "--smtp-port", defaultValue = "587", description = "SMTP port. Default: ${DEFAULT-VALUE}.")
    int smtpPort;

    @Option(names = "--smtp-security", defaultValue = "starttls", paramLabel = "none|starttls|tls",
            description = "How the SMTP connection is protected. Default: ${DEFAULT-VALUE}.")
    String smtpSecurity;

    @Option(names = "--smtp-user", paramLabel = "USER", description = "SMTP account.")
    String smtpUser;

    @Option(names = "--smtp-password", paramLabel = "PASSWORD", description = "SMTP password (better: OUTPOST_SMTP_PASSWORD).")
    String smtpPassword;

    @Option(names = "--smtp-from", defaultValue = "outpost@localhost", paramLabel = "ADDRESS",
            description = "Sender of alert emails. Default: ${DEFAULT-VALUE}.")
    String smtpFrom;

    @Option(names = "--web-url", paramLabel = "URL", description = "The cloud's address as people reach it, for links in emails.")
    java.net.URI webUrl;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible store for images, backups and clips; default: the data directory.")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-region", defaultValue = "us-east-1", description = "The S3 region to sign for. Default: ${DEFAULT-VALUE}.")
    String s3Region;

    @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "The S3 bucket (it must exist).")
    String s3Bucket;

    @Option(names = "--s3-access-key", paramLabel = "KEY", description = "The S3 access key id.")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", description = "The S3 secret key (better: OUTPOST_S3_SECRET_KEY).")
    String s3SecretKey;

    @Option(names = "--s3-path-style", defaultValue = "true", arity = "1",
            description = "Path-style URLs (host/bucket/key), which most self-hosted stores want. Default: ${DEFAULT-VALUE}.")
    boolean s3PathStyle;

    CloudConfig toConfig() {
        CloudConfig defaults = CloudConfig.defaults(data);
        return new CloudConfig(data, bind, port, names, Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey),
                Optional.ofNullable(jdbcUrl), Optional.ofNullable(jdbcUser), Optional.ofNullable(jdbcPassword),
                adminEmail, Optional.ofNullable(adminPassword), maxStreamsPerRecorder,
                Duration.ofSeconds(relayTimeoutSeconds), defaults.grantLifetime(), defaults.activationCodeLifetime(),
                trustedProxies(),
                StunSettings.of(Optional.ofNullable(stunBind), stunPort, Optional.ofNullable(stunAlternate),
                        stunAlternatePort),
                new dev.outpost.cloud.MailSettings(Optional.ofNullable(smtpHost), smtpPort,
                        dev.outpost.cloud.MailSettings.Security.fromLabel(smtpSecurity), Optional.ofNullable(smtpUser),
                        Optional.ofNullable(smtpPassword), smtpFrom, Optional.ofNullable(webUrl), false),
                s3());
    }

    private Optional<dev.outpost.cloud.objects.S3Settings> s3() {
        if (s3Endpoint == null) {
            return Optional.empty();
        }
        if (s3Bucket == null || s3AccessKey == null || s3SecretKey == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--s3-endpoint needs --s3-bucket, --s3-access-key and --s3-secret-key (or OUTPOST_S3_SECRET_KEY)");
        }
        try {
            return Optional.of(new dev.outpost.cloud.objects.S3Settings(s3Endpoint, s3Region, s3Bucket, s3AccessKey,
                    s3SecretKey, s3PathStyle));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
    }

    private List<dev.outpost.cloud.paths.Cidr> trustedProxies() {
        List<dev.outpost.cloud.paths.Cidr> ranges = new java.util.ArrayList<>();
        for (String proxy : trustedProxies) {
            try {
                ranges.add(dev.outpost.cloud.paths.Cidr.parse(proxy));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--trusted-proxy: " + e.getMessage());
            }
        }
        return ranges;
    }

    @Override
    public Integer call() throws Exception {
        CloudServer cloud = CloudServer.start(toConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cloud.close();
            stopped.countDown();
        }, "cloud-shutdown"));
        System.out.println(Banner.cloud(cloud));
        stopped.await();
        return 0;
    }

    /** {@code outpost cloud recorder ...}: recorder administration from the command line. */
    @Command(name = "recorder", mixinStandardHelpOptions = true, description = "Manage recorders of the cloud.",
            subcommands = {CloudRecorderAddCommand.class, CloudRecorderNetworkCommand.class})
    static final class RecorderGroup implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }
}
