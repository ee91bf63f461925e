package dev.outpost.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A capture of a live fMP4 stream cut off mid-box, made into what a player that stopped reading there had. */
public final class CapturedMp4 {
    private CapturedMp4() {
    }

    /** Cuts {@code file} after its last complete init segment ({@code moov}) or fragment ({@code mdat}). */
    public static void keepWholeBoxes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = 0;
        int lastWhole = 0;
        while (end + 8 <= bytes.length) {
            long size = ((bytes[end] & 0xFFL) << 24) | ((bytes[end + 1] & 0xFF) << 16) | ((bytes[end + 2] & 0xFF) << 8)
                    | (bytes[end + 3] & 0xFF);
            if (size < 8 || end + size > bytes.length) {
                break;
            }
            String type = new String(bytes, end + 4, 4, StandardCharsets.US_ASCII);
            end += (int) size;
            if (type.equals("mdat") || type.equals("moov")) {
                lastWhole = end;
            }
        }
        Files.write(file, Arrays.copyOf(bytes, lastWhole));
    }
}
