package io.sluice.gateway;

import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Where settings come from, first match wins: a system property ({@code -Dsluice.port=9000}), an environment
 * variable (the key upper-cased with dots and dashes as underscores: {@code SLUICE_PORT},
 * {@code SLUICE_DATA_DIR}), then a file. The file is the one {@code sluice.config} names (by system property
 * or {@code SLUICE_CONFIG}), else {@code sluice.yaml}, {@code sluice.yml} or {@code sluice.properties} in the
 * working directory when present. YAML nests ({@code sluice: {port: 9000}}) or uses dotted keys.
 */
public final class SettingsSources implements Settings {
    private static final List<String> DEFAULT_FILES = List.of("sluice.yaml", "sluice.yml", "sluice.properties");

    private final Map<String, String> system;
    private final Map<String, String> env;
    private final Map<String, String> file;

    private SettingsSources(Map<String, String> system, Map<String, String> env, Map<String, String> file) {
        this.system = system;
        this.env = env;
        this.file = file;
    }

    /** The process's settings: its system properties, its environment and its config file. */
    public static SettingsSources load() {
        return load(System.getProperties(), System.getenv(), Path.of(""));
    }

    /** Settings from the given sources; relative config paths resolve against {@code workingDir}. */
    public static SettingsSources load(Properties systemProperties, Map<String, String> environment, Path workingDir) {
        Map<String, String> system = new HashMap<>();
        systemProperties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("sluice."))
                .forEach(k -> system.put(k, systemProperties.getProperty(k)));
        Map<String, String> env = Map.copyOf(environment);
        String named = Optional.ofNullable(system.get("sluice.config")).orElse(env.get(envName("sluice.config")));
        Path file = null;
        if (named != null) {
            file = workingDir.resolve(named.trim());
            if (!Files.isRegularFile(file)) {
                throw new SettingException("sluice.config", named, "a readable .yaml, .yml or .properties file");
            }
        } else {
            file = DEFAULT_FILES.stream()
                    .map(workingDir::resolve)
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElse(null);
        }
        return new SettingsSources(system, env, file == null ? Map.of() : readFile(file));
    }

    private static Map<String, String> readFile(Path file) {
        String name = file.getFileName().toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, String> values = new LinkedHashMap<>();
            if (name.endsWith(".properties")) {
                Properties properties = new Properties();
                properties.load(reader);
                properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
            } else {
                Object yaml;
                try (InputStream in = Files.newInputStream(file)) {
                    yaml = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
                }
                flatten("", yaml, values);
            }
            return values;
        } catch (IOException | RuntimeException e) {
            throw new SettingException(
                    "sluice.config",
                    file.toString(),
                    "a readable .yaml, .yml or .properties file; "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, into));
        } else if (node instanceof List<?> list) {
            into.put(prefix, String.join(",", list.stream().map(String::valueOf).toList()));
        } else if (node != null) {
            into.put(prefix, String.valueOf(node));
        }
    }

    /** The environment variable a key is read from: {@code sluice.data-dir} → {@code SLUICE_DATA_DIR}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public Optional<String> get(String key) {
        String value = system.get(key);
        if (value == null) {
            value = env.get(envName(key));
        }
        if (value == null) {
            value = file.get(key);
        }
        return Optional.ofNullable(value);
    }

    @Override
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> all = new HashMap<>();
        file.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                all.put(k, v);
            }
        });
        String envPrefix = envName(prefix);
        env.forEach((k, v) -> {
            if (k.startsWith(envPrefix)) {
                all.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        system.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                all.put(k, v);
            }
        });
        return all;
    }
}
