package io.sluice.gateway.settings;

import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Where settings come from, first match wins: a system property ({@code -Dsluice.port=9000}), an environment
 * variable ({@code SLUICE_PORT}; the exact mapping is {@link SettingsCatalog}'s), then a file. The file is the one
 * {@code sluice.config} names (by system property or {@code SLUICE_CONFIG}), else {@code sluice.yaml},
 * {@code sluice.yml} or {@code sluice.properties} in the working directory when present. YAML nests
 * ({@code sluice: {port: 9000}}) or uses dotted keys. Each value remembers where it came from, for
 * {@code sluice settings}.
 */
public final class SettingsSources implements Settings {
    private static final List<String> DEFAULT_FILES = List.of("sluice.yaml", "sluice.yml", "sluice.properties");

    /**
     * {@code SLUICE_*} variables that are not settings: the {@code ./sluice} launcher's, which it passes to the
     * JVM, not the gateway.
     */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("SLUICE_JAVA_OPTS", "SLUICE_SKIP_BUILD");

    /** Where a value came from. */
    public enum Origin {
        SYSTEM_PROPERTY("system property"),
        ENVIRONMENT("environment variable"),
        FILE("file"),
        DEFAULT("default");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** As {@code sluice settings} prints it. */
        public String label() {
            return label;
        }
    }

    /**
     * A name given in one source, as the user wrote it.
     *
     * @param name   the key, or the environment variable
     * @param origin its source
     */
    public record Given(String name, Origin origin) {}

    private final SettingsCatalog catalog;
    private final Map<String, String> system;
    private final Map<String, String> env;
    private final Map<String, String> file;
    private final Path filePath;

    private SettingsSources(
            SettingsCatalog catalog,
            Map<String, String> system,
            Map<String, String> env,
            Map<String, String> file,
            Path filePath) {
        this.catalog = catalog;
        this.system = system;
        this.env = env;
        this.file = file;
        this.filePath = filePath;
    }

    /** The process's settings: its system properties, its environment and its config file. */
    public static SettingsSources load() {
        return load(System.getProperties(), System.getenv(), Path.of(""));
    }

    /** Settings from the given sources; relative config paths resolve against {@code workingDir}. */
    public static SettingsSources load(Properties systemProperties, Map<String, String> environment, Path workingDir) {
        return load(systemProperties, environment, workingDir, SettingsCatalog.installed());
    }

    /** Settings from the given sources, the environment read with this catalog's mapping. */
    public static SettingsSources load(
            Properties systemProperties, Map<String, String> environment, Path workingDir, SettingsCatalog catalog) {
        Map<String, String> system = new HashMap<>();
        systemProperties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("sluice."))
                .forEach(k -> system.put(k, systemProperties.getProperty(k)));
        Map<String, String> env = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("SLUICE_") && !LAUNCHER_VARIABLES.contains(k)) {
                env.put(k, v);
            }
        });
        String named = Optional.ofNullable(system.get("sluice.config"))
                .orElse(env.get(SettingsCatalog.environmentName("sluice.config")));
        Path file;
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
        return new SettingsSources(catalog, system, env, file == null ? Map.of() : readFile(file), file);
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
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new SettingException(
                    "sluice.config",
                    file.toString(),
                    "a readable .yaml, .yml or .properties file; "
                            + why.lines().findFirst().orElse(""));
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

    /** The catalog whose mapping this reads the environment with. */
    public SettingsCatalog catalog() {
        return catalog;
    }

    /** The settings file read, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(filePath);
    }

    @Override
    public Optional<String> get(String key) {
        String value = system.get(key);
        if (value == null) {
            value = env.get(catalog.environmentNameOf(key));
        }
        if (value == null) {
            value = file.get(key);
        }
        return Optional.ofNullable(value);
    }

    /** Where the value of a key comes from: the first source that has it, else {@link Origin#DEFAULT}. */
    public Origin origin(String key) {
        if (system.containsKey(key)) {
            return Origin.SYSTEM_PROPERTY;
        }
        if (env.containsKey(catalog.environmentNameOf(key))) {
            return Origin.ENVIRONMENT;
        }
        return file.containsKey(key) ? Origin.FILE : Origin.DEFAULT;
    }

    /** The origin of a key for people: {@code environment variable SLUICE_PORT}, {@code file sluice.yaml}. */
    public String describeOrigin(String key) {
        Origin origin = origin(key);
        return switch (origin) {
            case ENVIRONMENT -> origin.label() + " " + catalog.environmentNameOf(key);
            case FILE -> origin.label() + " " + filePath;
            default -> origin.label();
        };
    }

    /**
     * Keys under {@code prefix} from every source. An environment variable counts when it names a declared key or
     * a key under a pass-through prefix; one that names only a route file's placeholder is found by
     * {@link #get(String)} alone.
     */
    @Override
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> all = new HashMap<>();
        file.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                all.put(k, v);
            }
        });
        env.forEach((name, v) -> catalog.keyOfEnvironmentVariable(name, List.of())
                .filter(k -> k.startsWith(prefix))
                .ifPresent(k -> all.put(k, v)));
        system.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                all.put(k, v);
            }
        });
        return all;
    }

    /** Every name given: {@code sluice.*} system properties, {@code SLUICE_*} variables, every key of the file. */
    public List<Given> given() {
        List<Given> given = new ArrayList<>();
        system.keySet().stream().sorted().forEach(k -> given.add(new Given(k, Origin.SYSTEM_PROPERTY)));
        env.keySet().forEach(k -> given.add(new Given(k, Origin.ENVIRONMENT)));
        file.keySet().forEach(k -> given.add(new Given(k, Origin.FILE)));
        return given;
    }

    /**
     * Refuses a name that no module declares and no route file uses ({@code placeholders}).
     *
     * @throws UnknownSettingException naming the first one, with the known key it most likely meant
     */
    public void refuseUnknown(Collection<String> placeholders) {
        for (Given given : given()) {
            String name = given.name();
            switch (given.origin()) {
                case ENVIRONMENT -> {
                    if (catalog.keyOfEnvironmentVariable(name, placeholders).isEmpty()) {
                        String suggestion = catalog.suggestionForEnvironment(name, placeholders)
                                .orElse(null);
                        throw new UnknownSettingException(name, null, suggestion);
                    }
                }
                case FILE -> {
                    if (!catalog.isKnown(name, placeholders)) {
                        throw new UnknownSettingException(
                                name,
                                String.valueOf(filePath),
                                catalog.suggestion(name, placeholders).orElse(null));
                    }
                }
                default -> {
                    if (!catalog.isKnown(name, placeholders)) {
                        throw new UnknownSettingException(
                                name,
                                null,
                                catalog.suggestion(name, placeholders).orElse(null));
                    }
                }
            }
        }
    }

    /**
     * Refuses the {@code sluice.*} keys of any settings that no module declares and no route file uses: the
     * sources' own check for {@link SettingsSources}, the keys' for others ({@code Settings.of(map)}).
     *
     * @throws UnknownSettingException naming the first one
     */
    public static void refuseUnknown(Settings settings, SettingsCatalog catalog, Collection<String> placeholders) {
        if (settings instanceof SettingsSources sources) {
            sources.refuseUnknown(placeholders);
            return;
        }
        settings.withPrefix("sluice.").keySet().stream().sorted().forEach(key -> {
            if (!catalog.isKnown(key, placeholders)) {
                throw new UnknownSettingException(
                        key, null, catalog.suggestion(key, placeholders).orElse(null));
            }
        });
    }
}
