package io.sluice.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's settings tables say what the declarations say: every declared setting has a row, every row names a
 * declared setting, and a default column shows the declared default. A setting added, renamed or given a new
 * default without its row fails here.
 */
class ReadmeSettingsTest {
    private static final SettingsCatalog CATALOG = SettingsCatalog.installed();

    /** One row of a settings table: its file, its keys, and its default cell if the table has one. */
    record Row(String file, List<String> keys, Optional<String> defaultCell) {}

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("connectors"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(root().resolve("README.md")));
        try (var connectors = Files.list(root().resolve("connectors"))) {
            connectors
                    .map(d -> d.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        }
        for (Path file : files) {
            int defaultColumn = -1;
            boolean inSettingsTable = false;
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("|")) {
                    inSettingsTable = false;
                    continue;
                }
                List<String> cells = cells(line);
                if (!inSettingsTable
                        && (cells.get(0).equals("setting") || cells.get(0).equals("key"))) {
                    inSettingsTable = true;
                    defaultColumn = cells.indexOf("default");
                } else if (inSettingsTable && !cells.get(0).startsWith("---")) {
                    List<String> keys = Arrays.stream(cells.get(0).split(","))
                            .map(k -> k.replace("`", "").strip())
                            .toList();
                    Optional<String> defaultCell = defaultColumn < 0
                            ? Optional.empty()
                            : Optional.of(
                                    cells.get(defaultColumn).replace("`", "").strip());
                    rows.add(new Row(root().relativize(file).toString(), keys, defaultCell));
                }
            }
        }
        return rows;
    }

    /** Settings that only the shipped route files name, as placeholders with their defaults there. */
    private static Set<String> routePlaceholders() throws IOException {
        Set<String> keys = new TreeSet<>();
        Pattern placeholder = Pattern.compile("\\{\\{\\??(sluice\\.[^}:]+)(?::[^}]*)?}}");
        try (var files = Files.walk(root().resolve("routes"), 1)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = placeholder.matcher(Files.readString(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    @Test
    void everyRowNamesADeclaredSetting() throws IOException {
        Set<String> placeholders = routePlaceholders();
        for (Row row : rows()) {
            for (String key : row.keys()) {
                if (placeholders.contains(key) && CATALOG.find(key).isEmpty()) {
                    continue; // a route file's own setting: known while that file is loaded
                }
                if (key.endsWith(".*")) {
                    String prefix = key.substring(0, key.length() - 1);
                    assertThat(CATALOG.keys())
                            .as("%s: %s names a pass-through prefix or a group of declared settings", row.file(), key)
                            .anyMatch(k -> k.startsWith(prefix));
                } else {
                    assertThat(CATALOG.find(key))
                            .as("%s: %s is declared by a module", row.file(), key)
                            .isPresent();
                }
            }
        }
    }

    @Test
    void everyDefaultColumnShowsTheDeclaredDefault() throws IOException {
        Set<String> placeholders = routePlaceholders();
        for (Row row : rows()) {
            if (row.defaultCell().isEmpty()
                    || row.keys().size() != 1
                    || row.keys().get(0).endsWith(".*")) {
                continue;
            }
            if (placeholders.contains(row.keys().get(0))
                    && CATALOG.find(row.keys().get(0)).isEmpty()) {
                continue; // a route file's own setting: its default is written in the file
            }
            Setting<?> setting = CATALOG.find(row.keys().get(0)).orElseThrow();
            // "empty" reads better in a table than a blank cell, which would say there is no default.
            String declared =
                    setting.defaultText().filter(String::isEmpty).isPresent() ? "empty" : setting.defaultDescription();
            assertThat(row.defaultCell().get())
                    .as("%s: the default of %s", row.file(), setting.key())
                    .isEqualTo(declared);
        }
    }

    @Test
    void everyDeclaredSettingHasARow() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (Row row : rows()) {
            row.keys().forEach(k -> documented.put(k.endsWith(".*") ? k.substring(0, k.length() - 1) : k, row.file()));
        }
        for (Setting<?> setting : CATALOG.settings()) {
            assertThat(documented)
                    .as("%s (module %s) has a row in a settings table", setting.key(), CATALOG.moduleOf(setting))
                    .containsKey(setting.key());
        }
    }
}
