package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4BoxReaderTest {

    @Test
    void onlyThePieceThatEndsAnMdatEndsAFragmentEvenOneByteAtATime() throws IOException {
        byte[] stream = concat(box("ftyp", 16), box("moov", 100), box("moof", 40), box("mdat", 50_000),
                box("moof", 40), box("mdat", 10));
        Mp4BoxReader reader = new Mp4BoxReader(oneByteAtATime(stream), 16 * 1024, true);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        List<Integer> fragmentEnds = new ArrayList<>();
        for (Mp4BoxReader.Piece piece = reader.next(); piece != null; piece = reader.next()) {
            assertThat(piece.length()).isLessThanOrEqualTo(16 * 1024);
            copy.write(piece.bytes(), 0, piece.length());
            if (piece.fragmentEnd()) {
                fragmentEnds.add(copy.size());
            }
        }
        assertThat(copy.toByteArray()).isEqualTo(stream);
        int firstFragmentEnd = (8 + 16) + (8 + 100) + (8 + 40) + (8 + 50_000); // headers included
        assertThat(fragmentEnds).containsExactly(firstFragmentEnd, stream.length);
    }

    @Test
    void aStreamThatIsNotMp4IsReadWithoutBoundaries() throws IOException {
        byte[] bytes = "not an mp4 at all".getBytes(StandardCharsets.US_ASCII);
        Mp4BoxReader reader = new Mp4BoxReader(new ByteArrayInputStream(bytes), 1024, false);
        Mp4BoxReader.Piece piece = reader.next();
        assertThat(piece.fragmentEnd()).isFalse();
        assertThat(piece.length()).isEqualTo(bytes.length);
        assertThat(reader.next()).isNull();
    }

    @Test
    void malformedAndCutBoxesAreErrors() {
        byte[] tooSmall = ByteBuffer.allocate(8).putInt(4).put("moof".getBytes(StandardCharsets.US_ASCII)).array();
        assertThatThrownBy(() -> new Mp4BoxReader(new ByteArrayInputStream(tooSmall), 1024, true).next())
                .hasMessageContaining("smaller than its header");
        byte[] cut = java.util.Arrays.copyOf(box("mdat", 100), 50);
        assertThatThrownBy(() -> {
            Mp4BoxReader reader = new Mp4BoxReader(new ByteArrayInputStream(cut), 1024, true);
            while (reader.next() != null) {
                // read to the cut
            }
        }).hasMessageContaining("ended inside an MP4 box");
    }

    private static byte[] box(String type, int payload) {
        ByteBuffer box = ByteBuffer.allocate(8 + payload).putInt(8 + payload).put(type.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < payload; i++) {
            box.put((byte) i);
        }
        return box.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static InputStream oneByteAtATime(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }
}
