package dev.outpost.recorder.cameras;

import java.util.Locale;

/** The two streams every camera has, as real cameras do: main (HD) and sub (SD). */
public enum StreamKind {
    MAIN("hd"),
    SUB("sd");

    private final String label;

    StreamKind(String label) {
        this.label = label;
    }

    /** How the API names it: {@code hd} or {@code sd}. */
    public String label() {
        return label;
    }

    public static StreamKind fromLabel(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "hd", "main" -> MAIN;
            case "sd", "sub" -> SUB;
            default -> throw new IllegalArgumentException("stream must be hd or sd, not " + label);
        };
    }
}
