package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void rangesContainTheirAddressesOnly() {
        Cidr range = Cidr.parse("198.51.100.77/24");
        assertThat(range).hasToString("198.51.100.0/24");
        assertThat(range.contains("198.51.100.1")).isTrue();
        assertThat(range.contains("198.51.100.255")).isTrue();
        assertThat(range.contains("198.51.101.1")).isFalse();
        assertThat(range.contains("::ffff:198.51.100.9")).as("IPv4-mapped IPv6").isTrue();
        assertThat(range.contains("2001:db8::1")).isFalse();
        assertThat(range.contains("example.com")).as("names are never resolved").isFalse();

        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db9::1")).isFalse();
        assertThat(Cidr.parse("203.0.113.10").contains("203.0.113.10")).isTrue();
        assertThat(Cidr.parse("203.0.113.10").contains("203.0.113.11")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("192.0.2.1")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/9").contains("10.127.255.255")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/9").contains("10.128.0.0")).isFalse();
    }

    @Test
    void badRangesSayWhatIsWrong() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/129")).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.parse("office.example.com/24")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Cidr.parse("1".repeat(100))).hasMessageContaining("too long");
    }
}
