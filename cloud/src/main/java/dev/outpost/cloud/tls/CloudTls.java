package dev.outpost.cloud.tls;

import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.tls.TlsProvider;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The server TLS context of the cloud's one port. ALPN tells links ({@code outpost-link/1}) from
 * ordinary HTTPS ({@code h2} for browsers and clients that offer it, else {@code http/1.1}); a client that offers no
 * ALPN gets HTTP/1.1.
 */
public final class CloudTls {
    private CloudTls() {
    }

    public static SslContext serverContext(CloudCertificate certificate) throws SSLException {
        return SslContextBuilder.forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(TlsProvider.netty())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                        LinkProtocol.ALPN, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }
}
