package io.sluice.spi;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The settings one module reads, found with {@link ServiceLoader}: every module that reads settings has one
 * implementation, named in its {@code META-INF/services/io.sluice.spi.SettingDefinitions}. The gateway joins them
 * into the catalog of known keys: a {@code sluice.*} key no module declares (and no loaded route file names as a
 * placeholder) stops start-up, with a suggestion.
 *
 * <pre>{@code
 * public final class RedisSettingDefinitions implements SettingDefinitions {
 *     public String module() { return "redis"; }
 *     public List<Setting<?>> settings() { return List.of(RedisSettings.URI, RedisSettings.CLUSTER); }
 *     public void check(Settings settings) { RedisSettings.from(settings); }
 * }
 * }</pre>
 */
public interface SettingDefinitions {

    /** The module's short name, as {@code sluice settings} groups the settings: {@code gateway}, {@code kafka}. */
    String module();

    /** Every setting the module reads, pass-through prefixes included, each declared once. */
    List<Setting<?>> settings();

    /**
     * Reads and checks the module's settings as the module will, without opening anything: for
     * {@code sluice check}. The default parses each setting; override it to build the module's settings record
     * when it checks settings against each other.
     *
     * @throws SettingException naming the first setting that is not usable
     */
    default void check(Settings settings) {
        for (Setting<?> setting : settings()) {
            if (!setting.isPassThrough()) {
                setting.get(settings);
            }
        }
    }

    /** The definitions of every module on the class path of {@code loader}, by module name. */
    static List<SettingDefinitions> installed(ClassLoader loader) {
        return ServiceLoader.load(SettingDefinitions.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(SettingDefinitions::module))
                .toList();
    }
}
