package io.sluice.gateway.cli;

import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.routefiles.RouteFiles;
import io.sluice.gateway.routefiles.RouteFiles.RouteFile;
import io.sluice.gateway.settings.SettingsCatalog;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.gateway.settings.SettingsSources.Given;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code settings}: every setting the modules declare, then those the route files name as placeholders, each with
 * its value, where the value comes from (system property, environment variable, file, default) and its default.
 * Secrets are masked: settings declared secret, keys that name a password, token or key, and the credentials in
 * URIs. Given names that no module declares and no route file uses are listed last, as unknown.
 */
@Command(
        name = "settings",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Print every setting: its value, its default and its source; secrets masked.")
public final class SettingsCommand implements Callable<Integer> {
    static final String MASK = "******";
    /** Names that hold credentials, wherever they are declared: pass-through keys and placeholders included. */
    private static final Pattern SENSITIVE =
            Pattern.compile(".*(password|passwd|passphrase|secret|token|jaas|credential|api-?key|access-?key).*");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??(sluice\\.[^}:]+)(?::([^}]*))?}}");

    @Spec
    CommandSpec spec;

    /** One printed line. */
    record Row(String key, String value, String source, String defaultValue) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            SettingsSources settings = SettingsSources.load();
            print(settings, placeholders(settings), out);
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return Problems.report(e, spec.commandLine().getErr());
        }
    }

    /** The placeholders of the route files with their defaults there; none when the files cannot be read. */
    private static Map<String, String> placeholders(SettingsSources settings) {
        Map<String, String> found = new LinkedHashMap<>();
        List<RouteFile> files;
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            files = RouteFiles.read(camel, GatewaySettings.ROUTES.get(settings));
        } catch (RuntimeException e) {
            return found; // the check command says what is wrong with them
        } finally {
            camel.stop();
        }
        for (RouteFile file : files) {
            Matcher m = PLACEHOLDER.matcher(file.content());
            while (m.find()) {
                found.putIfAbsent(m.group(1).strip(), m.group(2) == null ? "" : m.group(2));
            }
        }
        return found;
    }

    static void print(SettingsSources settings, Map<String, String> placeholders, PrintWriter out) {
        SettingsCatalog catalog = settings.catalog();
        Map<String, List<Row>> sections = new LinkedHashMap<>();
        for (SettingDefinitions module : catalog.modules()) {
            List<Row> rows = new ArrayList<>();
            for (Setting<?> setting : module.settings()) {
                if (setting.isPassThrough()) {
                    Map<String, String> given = settings.withPrefix(setting.key());
                    rows.add(new Row(setting.key() + "*", given.isEmpty() ? "(none given)" : "", "", ""));
                    given.keySet().stream()
                            .sorted()
                            .forEach(k -> rows.add(row(settings, k, "", false, setting.isSecret())));
                } else {
                    rows.add(row(
                            settings,
                            setting.key(),
                            setting.defaultDescription(),
                            setting.defaultText().isPresent(),
                            setting.isSecret()));
                }
            }
            sections.put(module.module(), rows);
        }
        List<Row> routeRows = new ArrayList<>();
        placeholders.forEach((key, defaultValue) -> {
            if (catalog.find(key).isEmpty()) {
                routeRows.add(row(settings, key, defaultValue, !defaultValue.isEmpty(), false));
            }
        });
        if (!routeRows.isEmpty()) {
            sections.put("route files (placeholders)", routeRows);
        }
        List<Row> unknown = new ArrayList<>();
        Set<String> known = placeholders.keySet();
        for (Given given : settings.given()) {
            boolean isKnown = given.origin() == SettingsSources.Origin.ENVIRONMENT
                    ? catalog.keyOfEnvironmentVariable(given.name(), known).isPresent()
                    : catalog.isKnown(given.name(), known);
            if (!isKnown) {
                unknown.add(new Row(given.name(), "", given.origin().label(), ""));
            }
        }
        if (!unknown.isEmpty()) {
            sections.put("unknown (start-up refuses these)", unknown);
        }
        int[] widths = {"setting".length(), "value".length(), "default".length()};
        sections.values().stream().flatMap(List::stream).forEach(r -> {
            widths[0] = Math.max(widths[0], r.key().length());
            widths[1] = Math.min(40, Math.max(widths[1], r.value().length()));
            widths[2] = Math.min(40, Math.max(widths[2], r.defaultValue().length()));
        });
        String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s";
        out.println(
                String.format(format, "setting", "value", "default", "source").stripTrailing());
        sections.forEach((section, rows) -> {
            out.println();
            out.println("# " + section);
            rows.forEach(r -> out.println(String.format(format, r.key(), r.value(), r.defaultValue(), r.source())
                    .stripTrailing()));
        });
    }

    private static Row row(
            SettingsSources settings, String key, String defaultValue, boolean fixedDefault, boolean secret) {
        String value = settings.get(key).orElse(null);
        boolean masked =
                secret || SENSITIVE.matcher(key.toLowerCase(Locale.ROOT)).matches();
        String shown;
        if (value != null) {
            shown = show(value, masked);
        } else if (fixedDefault) {
            shown = show(defaultValue, masked);
        } else {
            shown = "(not set)";
        }
        String defaultShown =
                !fixedDefault ? defaultValue : defaultValue.isEmpty() ? "(empty)" : show(defaultValue, masked);
        return new Row(key, shown.isEmpty() ? "(empty)" : shown, settings.describeOrigin(key), defaultShown);
    }

    private static String show(String value, boolean masked) {
        if (value.isEmpty()) {
            return value;
        }
        return masked ? MASK : URISupport.sanitizeUri(value);
    }
}
