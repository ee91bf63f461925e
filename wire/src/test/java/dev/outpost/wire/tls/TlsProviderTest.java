package dev.outpost.wire.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TlsProviderTest {
    /** The platform Outpost ships a native TLS engine for: a broken pin would silently double the relay's TLS cost. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void boringSslIsUsedOnLinuxX86() {
        assertThat(OpenSsl.unavailabilityCause()).isNull();
        assertThat(OpenSsl.versionString()).contains("BoringSSL");
        assertThat(TlsProvider.netty()).isEqualTo(SslProvider.OPENSSL);
    }
}
