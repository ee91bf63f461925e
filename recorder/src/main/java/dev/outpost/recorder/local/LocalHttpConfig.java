package dev.outpost.recorder.local;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the recorder's local HTTP port.
 *
 * @param bindAddress    address to listen on; {@code 0.0.0.0} for every interface (LAN viewers), the default
 *                       {@code 127.0.0.1} for this machine only
 * @param port           TCP port, 0 for any free one (tests)
 * @param idleTimeout    a connection that neither reads nor writes for this long is closed
 * @param maxConnections connections past this many are closed as soon as they are accepted
 * @param tls            HTTPS when present (the certificate the cloud issues at activation); plain HTTP otherwise
 * @param plainHttp      serve plain HTTP even off loopback (the LAN), which the recorder otherwise refuses: only
 *                       when explicitly asked for
 */
public record LocalHttpConfig(String bindAddress, int port, Duration idleTimeout, int maxConnections,
                              Optional<SslContext> tls, boolean plainHttp) {
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Every address when the recorder has its cloud-issued certificate, else loopback. */
    public static final String AUTO_BIND = "auto";
    public static final int DEFAULT_HTTPS_PORT = 7443;
    public static final int DEFAULT_PORT = 7080;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    public LocalHttpConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("local port must be from 0 to 65535, not " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("local idle timeout must be positive, not " + idleTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("local max connections must be at least 1, not " + maxConnections);
        }
        Objects.requireNonNull(tls, "tls");
    }

    public static LocalHttpConfig defaults() {
        return new LocalHttpConfig(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                Optional.empty(), false);
    }

    public LocalHttpConfig withPlainHttp(boolean plain) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, tls, plain);
    }

    public LocalHttpConfig withBindAddress(String bindAddress) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, tls, plainHttp);
    }

    public LocalHttpConfig withPort(int port) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, tls, plainHttp);
    }

    public LocalHttpConfig withIdleTimeout(Duration idleTimeout) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, tls, plainHttp);
    }

    public LocalHttpConfig withMaxConnections(int maxConnections) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, tls, plainHttp);
    }

    public LocalHttpConfig withTls(SslContext tls) {
        return new LocalHttpConfig(bindAddress, port, idleTimeout, maxConnections, Optional.of(tls), plainHttp);
    }
}
