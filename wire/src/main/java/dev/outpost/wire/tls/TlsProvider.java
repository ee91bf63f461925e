package dev.outpost.wire.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS engine Outpost's Netty connections use: BoringSSL (netty-tcnative) when its native library
 * loads on this platform, else the JDK's. BoringSSL costs about half the CPU per byte of the JDK engine
 * with Netty's direct buffers, which matters most to the relay (it decrypts and encrypts every byte
 * twice). {@code -Doutpost.tls=jdk} forces the JDK engine, for comparison or if the native library
 * misbehaves.
 */
public final class TlsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);
    private static final SslProvider CHOSEN = choose();

    private TlsProvider() {
    }

    /** The engine to build every Netty {@code SslContext} with. */
    public static SslProvider netty() {
        return CHOSEN;
    }

    private static SslProvider choose() {
        String wanted = System.getProperty("outpost.tls", "auto").toLowerCase(Locale.ROOT);
        if (wanted.equals("jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
            LOG.debug("TLS engine: {}", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        LOG.info("TLS engine: the JDK's (BoringSSL unavailable here: {})", OpenSsl.unavailabilityCause() == null
                ? "no ALPN" : OpenSsl.unavailabilityCause().toString());
        return SslProvider.JDK;
    }
}
