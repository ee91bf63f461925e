package dev.outpost.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where a server option's value comes from when the flag is not given: the environment variable
 * {@code OUTPOST_<NAME>} (for {@code --jdbc-url}: {@code OUTPOST_JDBC_URL}), else the YAML
 * configuration file's key of the same name ({@code jdbc-url: ...}), else the built-in default.
 * So flags win over the environment, which wins over the file.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Map<String, Object> file;
    private final Optional<Path> configFile;

    ConfigDefaults(Map<String, String> environment, Optional<Path> configFile) {
        this.environment = environment;
        this.configFile = configFile;
        this.file = configFile.map(ConfigDefaults::read).orElse(Map.of());
    }

    /** The configuration file named by {@code --config FILE} among the arguments, or {@code OUTPOST_CONFIG}. */
    static Optional<Path> configFile(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.ofNullable(environment.get("OUTPOST_CONFIG")).map(Path::of);
    }

    /**
     * A setting of the file that is no flag's default, such as a recorder's {@code cameras:} list, as YAML
     * reads it (lists, mappings, strings, numbers).
     */
    Optional<Object> fileSetting(String key) {
        return Optional.ofNullable(file.get(key));
    }

    /** How errors name the configuration file. */
    String fileName() {
        return configFile.map(Path::toString).orElse("the configuration file");
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.longestName().equals("--config")) {
            return null;
        }
        String name = option.longestName().replaceFirst("^--", "");
        String fromEnv = environment.get("OUTPOST_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null) {
            return fromEnv;
        }
        Object fromFile = file.get(name);
        if (fromFile != null) {
            return fromFile instanceof Iterable<?> many ? String.join(",", toStrings(many)) : fromFile.toString();
        }
        return option.defaultValue();
    }

    private static java.util.List<String> toStrings(Iterable<?> values) {
        java.util.List<String> out = new java.util.ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path path) {
        try {
            ObjectMapper yaml = YAMLMapper.builder().build();
            String text = Files.readString(path);
            if (text.isBlank()) {
                return Map.of(); // an empty file sets nothing
            }
            Object parsed = yaml.readValue(text, Object.class);
            if (parsed == null) {
                return Map.of();
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("configuration file " + path + " must be a YAML mapping of setting: value");
            }
            return (Map<String, Object>) map;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }
}
