package dev.outpost.media.h264;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StreamFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void readsSizeAndCodecFromTheParameterSets() {
        byte[] sps = HEX.parseHex("6764001facd9405005bb0110000003001000000301e0f1831960");
        byte[] pps = HEX.parseHex("68ebe3cb22c0");
        StreamFormat format = StreamFormat.of(sps, pps);
        assertThat(format.width()).isEqualTo(1280);
        assertThat(format.height()).isEqualTo(720);
        assertThat(format.codec()).isEqualTo("avc1.64001f");
        assertThat(format.sps()).isEqualTo(sps).isNotSameAs(sps);
        assertThat(format.pps()).isEqualTo(pps);
    }

    @Test
    void refusesParameterSetsOfTheWrongKind() {
        byte[] sps = HEX.parseHex("6764001facd9405005bb0110000003001000000301e0f1831960");
        assertThatThrownBy(() -> StreamFormat.of(sps, sps)).isInstanceOf(H264FormatException.class)
                .hasMessageContaining("PPS");
        assertThatThrownBy(() -> StreamFormat.of(HEX.parseHex("68ebe3cb22c0"), HEX.parseHex("68ebe3cb22c0")))
                .isInstanceOf(H264FormatException.class).hasMessageContaining("not an SPS");
    }
}
