package io.sluice.gateway.settings;

import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the modules on the class path declare ({@link SettingDefinitions}): which keys are known, which
 * environment variable names which key, and which known key a mistyped one was meant to be.
 *
 * <p>The environment mapping is exact. A variable names a declared key when it is that key upper-cased with dots
 * and dashes as underscores ({@code SLUICE_LIMITS_CONNECTIONS_PER_IP}). A key under a pass-through prefix is
 * written with a double underscore after the prefix, then the key's own name upper-cased with dots as single
 * underscores: {@code SLUICE_KAFKA_PRODUCER__LINGER_MS} is {@code sluice.kafka.producer.linger.ms}. So
 * {@code SLUICE_KAFKA_PRODUCER_TIMEOUT} is {@code sluice.kafka.producer-timeout} and nothing else.
 */
public final class SettingsCatalog {
    private final List<SettingDefinitions> modules;
    private final Map<String, Setting<?>> keys = new LinkedHashMap<>();
    private final List<Setting<?>> prefixes = new ArrayList<>();
    private final Map<String, String> moduleOf = new LinkedHashMap<>();

    private SettingsCatalog(List<SettingDefinitions> modules) {
        this.modules = List.copyOf(modules);
        for (SettingDefinitions module : modules) {
            for (Setting<?> setting : module.settings()) {
                String other = moduleOf.putIfAbsent(setting.key(), module.module());
                if (other != null) {
                    throw new IllegalStateException("setting " + setting.key() + " is declared by two modules, " + other
                            + " and " + module.module() + ": declare it once (a shared one in spi)");
                }
                if (setting.isPassThrough()) {
                    prefixes.add(setting);
                } else {
                    keys.put(setting.key(), setting);
                }
            }
        }
    }

    /** The settings of every module on the gateway's class path. */
    public static SettingsCatalog installed() {
        return Installed.CATALOG;
    }

    /** Read once, when first needed: the class path does not change. */
    private static final class Installed {
        static final SettingsCatalog CATALOG = of(SettingDefinitions.installed(SettingsCatalog.class.getClassLoader()));
    }

    /** The settings of these modules. */
    public static SettingsCatalog of(List<SettingDefinitions> modules) {
        return new SettingsCatalog(modules);
    }

    /** The modules, by name. */
    public List<SettingDefinitions> modules() {
        return modules;
    }

    /** The module that declares a setting. */
    public String moduleOf(Setting<?> setting) {
        return moduleOf.get(setting.key());
    }

    /** The declared setting a key belongs to: itself, or the pass-through prefix it is under. */
    public Optional<Setting<?>> find(String key) {
        Setting<?> exact = keys.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        return prefixes.stream().filter(p -> p.covers(key)).findFirst().map(p -> (Setting<?>) p);
    }

    /** The environment variable a key is read from: {@code sluice.data-dir} → {@code SLUICE_DATA_DIR}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The environment variable of a key, exactly: under a pass-through prefix, the prefix's name, a double
     * underscore, and the rest with dots as underscores.
     */
    public String environmentNameOf(String key) {
        for (Setting<?> prefix : prefixes) {
            if (prefix.covers(key) && !keys.containsKey(key)) {
                return passThroughEnvironmentPrefix(prefix)
                        + key.substring(prefix.key().length())
                                .toUpperCase(Locale.ROOT)
                                .replace('.', '_');
            }
        }
        return environmentName(key);
    }

    /**
     * The key an environment variable names, among the declared keys and {@code alsoKnown} (the placeholders of
     * the route files), if any.
     */
    public Optional<String> keyOfEnvironmentVariable(String name, Collection<String> alsoKnown) {
        for (Setting<?> prefix : prefixes) {
            String envPrefix = passThroughEnvironmentPrefix(prefix);
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                return Optional.of(prefix.key()
                        + name.substring(envPrefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'));
            }
        }
        for (String key : keys.keySet()) {
            if (environmentName(key).equals(name)) {
                return Optional.of(key);
            }
        }
        return alsoKnown.stream().filter(k -> environmentName(k).equals(name)).findFirst();
    }

    private static String passThroughEnvironmentPrefix(Setting<?> prefix) {
        String key = prefix.key();
        return environmentName(key.substring(0, key.length() - 1)) + "__";
    }

    /** Every declared key, pass-through prefixes included ({@code sluice.kafka.producer.}). */
    public List<String> keys() {
        List<String> all = new ArrayList<>(keys.keySet());
        prefixes.forEach(p -> all.add(p.key()));
        return all;
    }

    /** Every declared setting, in module order. */
    public List<Setting<?>> settings() {
        return modules.stream().flatMap(m -> m.settings().stream()).toList();
    }

    /** Whether a key is declared, or is one of {@code alsoKnown}. */
    public boolean isKnown(String key, Collection<String> alsoKnown) {
        return find(key).isPresent() || alsoKnown.contains(key);
    }

    /**
     * The known key nearest to a mistyped one, if one is near enough to be what was meant: at most a quarter of
     * its letters apart (and at least two), as edits of one letter each.
     */
    public Optional<String> suggestion(String given, Collection<String> alsoKnown) {
        // A key in a settings file without its sluice. (port: 9000) is compared as if it had it.
        String key = given.startsWith("sluice.") ? given : "sluice." + given;
        List<String> candidates = new ArrayList<>(keys.keySet());
        candidates.addAll(alsoKnown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        for (Setting<?> prefix : prefixes) {
            // A mistyped prefix: sluice.kafka.prodcer.linger.ms → sluice.kafka.producer.linger.ms.
            int dot = key.indexOf('.', Math.min(key.length(), prefix.key().length() - 3));
            if (dot > 0) {
                String candidate = prefix.key() + key.substring(dot + 1);
                int d = distance(key, candidate);
                if (d < bestDistance) {
                    best = candidate;
                    bestDistance = d;
                }
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    /** The variable of a known key nearest to a mistyped variable, as {@link #suggestion} chooses. */
    public Optional<String> suggestionForEnvironment(String name, Collection<String> alsoKnown) {
        List<String> candidates = new ArrayList<>();
        keys.keySet().forEach(k -> candidates.add(environmentName(k)));
        alsoKnown.forEach(k -> candidates.add(environmentName(k)));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
