package dev.outpost.wire.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Activation codes as an installer reads, types and mistypes them. */
class ActivationCodeTest {
    private static final String WHAT_TO_DO = "copy it again from the cloud's Recorders page";
    private static final ActivationCode CODE = new ActivationCode("7KQ2M", "XR4TD9HWCAPZ3NE");

    @Test
    void aGeneratedCodeReadsBackFromItsText() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ActivationCode code = ActivationCode.generate(random);
            String text = code.text();
            assertThat(text).matches("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}");
            assertThat(ActivationCode.parse(text)).isEqualTo(code);
            seen.add(text);
        }
        assertThat(seen).as("codes do not repeat").hasSize(1_000);
    }

    @Test
    void theTextIsFourGroupsOfFive() {
        assertThat(CODE.text()).isEqualTo("7KQ2M-XR4TD-9HWCA-PZ3NE");
    }

    @Test
    void generatedCodesUseTheWholeAlphabet() {
        SecureRandom random = new SecureRandom();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : ActivationCode.generate(random).text().replace("-", "").toCharArray()) {
                used.add(c);
            }
        }
        assertThat(used).hasSize(ActivationCode.ALPHABET.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"7KQ2M-XR4TD-9HWCA-PZ3NE", "7kq2m-xr4td-9hwca-pz3ne", "7KQ2MXR4TD9HWCAPZ3NE",
            "7KQ2M XR4TD 9HWCA PZ3NE", "  7KQ2M-XR4TD-9HWCA-PZ3NE\n", "7KQ2M--XR4TD - 9HWCA\tPZ3NE", "7-K-Q-2-M-XR4TD9HWCAPZ3NE",
            "7Kq2m-Xr4tD-9hWcA-pZ3nE"})
    void caseSpacesAndDashesDoNotMatter(String typed) {
        assertThat(ActivationCode.parse(typed)).isEqualTo(CODE);
    }

    @Test
    void lettersThatLookLikeDigitsReadAsThoseDigits() {
        ActivationCode code = new ActivationCode("1A0B1", "C0D1E1F0G1H0J1K");
        assertThat(ActivationCode.parse("IA0B1-C0D1E-1F0G1-H0J1K")).isEqualTo(code);
        assertThat(ActivationCode.parse("LAOBI-CODLE-IFOGL-HOJIK")).isEqualTo(code);
        assertThat(ActivationCode.parse("lAob1-cOdiE-lfOgI-hoJlk")).isEqualTo(code);
    }

    @Test
    void lowercaseIReadsAsOneWhateverTheDefaultLocale() {
        // In a Turkish locale, "i".toUpperCase() is the dotted capital İ, not I.
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            Throwable thrown = catchThrowable(() -> assertThat(ActivationCode.parse("iA0B1-C0D1E-1F0G1-H0J1K"))
                    .isEqualTo(new ActivationCode("1A0B1", "C0D1E1F0G1H0J1K")));
            assertThat(thrown).as("parse in tr-TR").isNull();
        } finally {
            Locale.setDefault(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"7KQ2M-XR4TD-9HWCA-PZ3NU", "7KQ2M_XR4TD_9HWCA_PZ3NE", "7KQ2M.XR4TD.9HWCA.PZ3NE", "7KQ2M-XR4TD-9HWCA-PZ3N!",
            "7KQ2M-XR4TD-9HWCA-PZ3NÉ", "7KQ2M-XR4TD-9HWCA-PZ3N٣"})
    void aCharacterOutsideTheAlphabetIsNamedWithWhatToDo(String typed) {
        Throwable thrown = catchThrowable(() -> ActivationCode.parse(typed));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid character")
                .hasMessageContaining(WHAT_TO_DO);
        char bad = typed.toUpperCase(Locale.ROOT).chars().filter(c -> ActivationCode.ALPHABET.indexOf(c) < 0
                && c != '-' && c != 'I' && c != 'L' && c != 'O').mapToObj(c -> (char) c).findFirst().orElseThrow();
        assertThat(thrown.getMessage()).contains("'" + bad + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "----", "7KQ2M-XR4TD-9HWCA-PZ3N", "7KQ2M-XR4TD-9HWCA-PZ3NEE", "7KQ2M", "7KQ2M-XR4TD-9HWCA-PZ3NE-7KQ2M"})
    void aCodeOfTheWrongLengthSaysHowLongItIsAndWhatToDo(String typed) {
        int length = typed.replace("-", "").strip().length();
        Throwable thrown = catchThrowable(() -> ActivationCode.parse(typed));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have 20 characters, this has " + length)
                .hasMessageContaining(WHAT_TO_DO);
    }

    @Test
    void aCodesTextNeverShowsInItsToString() {
        assertThat(CODE.toString()).contains("7KQ2M").doesNotContain("XR4TD").doesNotContain("PZ3NE");
    }

    @Test
    void theRecordRefusesPartsOfTheWrongLength() {
        assertThat(catchThrowable(() -> new ActivationCode("7KQ2", "XR4TD9HWCAPZ3NE1"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> new ActivationCode("7KQ2M", "XR4TD"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProofKeyIsStableAndDependsOnTheWholeCode() {
        assertThat(CODE.proofKey()).hasSize(32).isEqualTo(ActivationCode.parse(CODE.text().toLowerCase(Locale.ROOT)).proofKey());
        assertThat(new ActivationCode("7KQ2M", "XR4TD9HWCAPZ3NF").proofKey()).isNotEqualTo(CODE.proofKey());
        assertThat(new ActivationCode("7KQ2N", "XR4TD9HWCAPZ3NE").proofKey()).isNotEqualTo(CODE.proofKey());
    }
}
