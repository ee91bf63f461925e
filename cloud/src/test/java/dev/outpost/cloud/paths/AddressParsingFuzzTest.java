package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Forwarding headers come from the network and ranges from users: random and mangled input never escapes as
 * anything but a clear IllegalArgumentException (ranges) or the TCP peer's address (headers).
 */
class AddressParsingFuzzTest {
    private static final String ALPHABET = "0123456789abcdefABCDEF.:/[]\"=;, forFOR-_%\t\u00e9\u0000";
    private static final List<String> SEEDS = List.of("198.51.100.0/24", "2001:db8::/32", "for=\"[2001:db8::1]:80\"",
            "for=192.0.2.1;proto=https, for=10.0.0.1", "192.0.2.60, 10.0.0.9");

    @Test
    void randomRangesFailOnlyWithAReason() {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            String text = mangle(random);
            try {
                Cidr range = Cidr.parse(text);
                assertThat(Cidr.parse(range.toString())).isEqualTo(range);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void randomForwardingHeadersYieldAnAddressOrThePeer() {
        Random random = new Random(7);
        ClientAddress trusting = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8")));
        for (int i = 0; i < 20_000; i++) {
            HttpHeaders headers = new DefaultHttpHeaders(false);
            headers.add(random.nextBoolean() ? "Forwarded" : "X-Forwarded-For", mangle(random));
            String address = trusting.of("10.0.0.5", headers);
            assertThat(address.equals("10.0.0.5") || Cidr.literal(address).isPresent()).as(headers.toString()).isTrue();
        }
    }

    private static String mangle(Random random) {
        StringBuilder text = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !text.isEmpty(); e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return text.toString();
    }
}
