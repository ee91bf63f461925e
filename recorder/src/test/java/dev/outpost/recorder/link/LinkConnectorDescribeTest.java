package dev.outpost.recorder.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.link.LinkWelcome;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@link LinkConnector#describe}: why a link attempt failed, in words an installer can act on. */
class LinkConnectorDescribeTest {
    private static final String PROXY = "http, basic, proxy.corp/10.0.0.1:3128 => cloud.example.com:443, ";

    @Test
    void aProxyAsking407ForCredentialsSaysToCheckThem() {
        String said = LinkConnector.describe(new HttpProxyHandler.HttpProxyConnectException(
                PROXY + "status: 407 Proxy Authentication Required", EmptyHttpHeaders.INSTANCE));
        assertThat(said).contains("407").contains("credentials").contains("user and password");
    }

    @Test
    void anyOtherProxyRefusalQuotesTheProxy() {
        String said = LinkConnector.describe(new ProxyConnectException(PROXY + "status: 403 Forbidden"));
        assertThat(said).startsWith("the proxy refused the tunnel").contains("403 Forbidden").doesNotContain("credentials");
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThat(LinkConnector.describe(new UnknownHostException("cloud.example.invalid")))
                .isEqualTo("cannot resolve cloud.example.invalid");
    }

    @Test
    void aRefusedOrTimedOutConnectionSaysSo() {
        assertThat(LinkConnector.describe(new ConnectException("Connection refused: cloud.example.com/192.0.2.1:443")))
                .isEqualTo("cannot connect: Connection refused: cloud.example.com/192.0.2.1:443");
        assertThat(LinkConnector.describe(new ConnectTimeoutException("connection timed out after 10000 ms")))
                .startsWith("cannot connect: ").contains("timed out");
    }

    @Test
    void aTlsFailureQuotesTheInnermostCause() {
        CertificateException pin = new CertificateException("server certificate 1234 is not the pinned abcd (a TLS-inspecting proxy, or the cloud changed its certificate)");
        SSLHandshakeException handshake = new SSLHandshakeException("General SSLEngine problem");
        handshake.initCause(new SSLException("certificate_unknown", pin));
        assertThat(LinkConnector.describe(handshake))
                .isEqualTo("TLS failed: server certificate 1234 is not the pinned abcd (a TLS-inspecting proxy, or the cloud changed its certificate)");
    }

    @Test
    void aTlsFailureWithoutACauseQuotesItself() {
        assertThat(LinkConnector.describe(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo("TLS failed: Received fatal alert: handshake_failure");
        assertThat(LinkConnector.describe(new SSLException("Unrecognized SSL message, plaintext connection?")))
                .isEqualTo("TLS failed: Unrecognized SSL message, plaintext connection?");
    }

    @Test
    void aTlsFailureWhoseInnermostCauseHasNoMessageQuotesTheNearestThatHasOne() {
        SSLHandshakeException handshake = new SSLHandshakeException("Remote host terminated the handshake");
        handshake.initCause(new EOFException());
        assertThat(LinkConnector.describe(handshake)).isEqualTo("TLS failed: Remote host terminated the handshake");
    }

    @Test
    void aRefusedWebSocketUpgradeSaysSo() {
        assertThat(LinkConnector.describe(new WebSocketClientHandshakeException("Invalid handshake response getStatus: 403 Forbidden")))
                .startsWith("the WebSocket upgrade was refused: ").contains("403");
    }

    @Test
    void aRefusalByTheCloudIsItsMessage() {
        String said = LinkConnector.describe(new LinkRefusedException(LinkWelcome.refuse(LinkWelcome.UNAVAILABLE, "the cloud is restarting")));
        assertThat(said).isEqualTo("the cloud refused the link: unavailable (the cloud is restarting)");
    }

    @Test
    void anythingElseIsItsTypeAndMessage() {
        assertThat(LinkConnector.describe(new TimeoutException("no welcome from the cloud within 30 s")))
                .isEqualTo("java.util.concurrent.TimeoutException: no welcome from the cloud within 30 s");
    }
}
