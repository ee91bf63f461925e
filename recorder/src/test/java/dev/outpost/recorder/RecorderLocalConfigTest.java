package dev.outpost.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.recorder.identity.LocalCertificate;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.tls.CertificateAuthority;
import dev.outpost.wire.tls.RecorderCertificates;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plain HTTP leaves this machine only when explicitly allowed; with the cloud's certificate the LAN gets HTTPS. */
class RecorderLocalConfigTest {
    private static final KeyPair KEY = RecorderCertificates.newKeyPair();
    private static final CertificateAuthority CA = CertificateAuthority.generate("ca", Duration.ofDays(1));
    private static final Optional<LocalCertificate> CERTIFIED = Optional.of(new LocalCertificate(KEY.getPrivate(),
            List.of(CA.issueServer(KEY.getPublic(), "r1", List.of(RecorderCertificates.name("r1")), Duration.ofDays(1)))));

    @Test
    void theLanGetsHttpsWithTheCloudsCertificate() {
        LocalHttpConfig lan = Recorder.localConfig(LocalHttpConfig.defaults().withBindAddress("0.0.0.0"), CERTIFIED);
        assertThat(lan.tls()).isPresent();
        LocalHttpConfig auto = Recorder.localConfig(LocalHttpConfig.defaults().withBindAddress("auto"), CERTIFIED);
        assertThat(auto.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(auto.tls()).isPresent();
    }

    @Test
    void loopbackStaysPlainAndTheLanIsPlainOnlyWhenAsked() {
        assertThat(Recorder.localConfig(LocalHttpConfig.defaults(), CERTIFIED).tls()).isEmpty();
        assertThatThrownBy(() -> Recorder.localConfig(LocalHttpConfig.defaults().withBindAddress("0.0.0.0"),
                Optional.empty())).hasMessageContaining("--local-plain-http").hasMessageContaining("activate it again");
        LocalHttpConfig plain = Recorder.localConfig(LocalHttpConfig.defaults().withBindAddress("0.0.0.0")
                .withPlainHttp(true), CERTIFIED);
        assertThat(plain.tls()).isEmpty();
        LocalHttpConfig uncertified = Recorder.localConfig(LocalHttpConfig.defaults().withBindAddress("auto"),
                Optional.empty());
        assertThat(uncertified.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(uncertified.tls()).isEmpty();
    }
}
