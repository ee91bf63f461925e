package dev.outpost.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code jcmd PID GC.class_histogram} (after a full collection), as instances and bytes by class. */
final class ClassHistogram {
    record Entry(long instances, long bytes) {
    }

    private ClassHistogram() {
    }

    static Map<String, Entry> of(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd failed: " + out);
        }
        Map<String, Entry> entries = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                entries.put(f[3], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return entries;
    }
}
