package dev.outpost.client;

import dev.outpost.wire.tls.ObservingTrustManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Turns the exceptions of {@code HttpClient} (often a bare {@code ConnectException} with no message)
 * into a {@link CloudUnreachableException} that says which URL failed and why. When TLS fails over the
 * certificate, it looks at the certificate once more with an {@link ObservingTrustManager} (a bare
 * handshake; nothing is sent) so the error can show its fingerprint.
 */
final class ConnectionFailures {
    private ConnectionFailures() {
    }

    static CloudUnreachableException explain(URI uri, IOException failure, CloudTrust trust, Duration connectTimeout) {
        if (failure instanceof HttpConnectTimeoutException) {
            return new CloudUnreachableException(uri, "no connection within " + connectTimeout.toSeconds()
                    + " s (wrong address, or a firewall drops the packets?)", failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return new CloudUnreachableException(uri, "connected, but no answer in time (" + message(failure) + ")", failure);
        }
        Optional<Throwable> handshake = find(failure, SSLHandshakeException.class);
        if (handshake.isPresent() && aboutCertificate(handshake.get())) {
            Optional<X509Certificate> seen = observeCertificate(uri, connectTimeout);
            if (seen.isPresent()) {
                return new CertificateNotTrustedException(uri, seen.get(), trust.pinnedFingerprint(),
                        certificateDetail(handshake.get()), failure);
            }
        }
        if (handshake.isPresent() || find(failure, SSLException.class).isPresent()) {
            Throwable tls = handshake.or(() -> find(failure, SSLException.class)).orElseThrow();
            return new CloudUnreachableException(uri, "TLS failed: " + message(tls)
                    + " (is this an https port of an Outpost cloud?)", failure);
        }
        if (find(failure, UnknownHostException.class).isPresent()
                || find(failure, UnresolvedAddressException.class).isPresent()) {
            return new CloudUnreachableException(uri, "unknown host " + uri.getHost(), failure);
        }
        if (find(failure, NoRouteToHostException.class).isPresent()) {
            return new CloudUnreachableException(uri, "no route to host " + uri.getHost(), failure);
        }
        if (failure instanceof ConnectException || find(failure, ConnectException.class).isPresent()) {
            return new CloudUnreachableException(uri, "connection refused (is the cloud running, and is "
                    + port(uri) + " its port?)", failure);
        }
        return new CloudUnreachableException(uri, "connection failed: " + message(failure), failure);
    }

    /**
     * A TLS handshake that trusts anything and only records the certificate: safe because the
     * connection is closed right after and carries no request.
     */
    static Optional<X509Certificate> observeCertificate(URI uri, Duration timeout) {
        ObservingTrustManager observer = new ObservingTrustManager();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {observer}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
                socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), millis);
                socket.setSoTimeout(millis);
                SSLParameters parameters = socket.getSSLParameters();
                if (isHostName(uri.getHost())) {
                    parameters.setServerNames(List.of(new SNIHostName(uri.getHost())));
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // the certificate may still have been seen before the failure
        }
        return observer.seen();
    }

    private static boolean aboutCertificate(Throwable handshake) {
        return find(handshake, CertificateException.class).isPresent()
                || String.valueOf(handshake.getMessage()).toLowerCase().contains("certificate");
    }

    private static String certificateDetail(Throwable handshake) {
        String text = find(handshake, CertificateException.class).map(ConnectionFailures::message)
                .orElse(message(handshake));
        if (text.contains("PKIX path") || text.contains("unable to find valid certification path")) {
            return "no certificate authority of this computer vouches for it; a self-signed cloud?";
        }
        if (text.contains("subject alternative") || text.contains("No name matching")) {
            return "it is not issued for this host name: " + text;
        }
        return text;
    }

    private static <T extends Throwable> Optional<Throwable> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static boolean isHostName(String host) {
        return host != null && !host.contains(":") && !host.matches("[0-9.]+");
    }
}
