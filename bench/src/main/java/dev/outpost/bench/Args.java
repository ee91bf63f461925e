package dev.outpost.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of a benchmark's command line, with defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    long number(String name, long fallback) {
        String v = values.remove(name);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    String text(String name, String fallback) {
        String v = values.remove(name);
        return v == null ? fallback : v;
    }

    /** Call after reading every option: a typo should not silently run the default. */
    void done() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + values.keySet());
        }
    }
}
