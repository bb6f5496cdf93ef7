package io.sluice.gateway.routefiles;

import io.sluice.spi.SettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Finds and reads route files. An entry of {@code sluice.routes} is a file, a folder (its {@code .yaml},
 * {@code .yml} and {@code .xml} files, in name order), or a {@code classpath:} resource.
 *
 * <p>Each file is read once into a {@link RouteFile}; validation and loading both use that text, so a file
 * edited in between cannot slip in unchecked.
 */
public final class RouteFiles {
    private RouteFiles() {}

    /**
     * One route file, as read.
     *
     * @param name     the file as the user names it: {@code routes/my.yaml}, or {@code classpath:routes/embedded.yaml}
     * @param path     where it is on disk, or null for a {@code classpath:} resource
     * @param location Camel's name for it ({@code file:/abs/routes/my.yaml}); routes loaded from it carry it
     * @param content  its text when it was read
     */
    public record RouteFile(String name, Path path, String location, String content) {
        /** The text as Camel loads it (its extension picks the YAML or XML loader). */
        public Resource resource() {
            return ResourceHelper.fromString(location, content);
        }
    }

    /** Reads the route files the entries name, in order. */
    public static List<RouteFile> read(CamelContext camel, List<String> entries) {
        List<RouteFile> files = new ArrayList<>();
        for (String entry : entries) {
            if (entry.startsWith("classpath:")) {
                Resource resource = PluginHelper.getResourceLoader(camel).resolveResource(entry);
                if (resource == null || !resource.exists()) {
                    throw new SettingException("sluice.routes", entry, "route files or folders that exist");
                }
                try (InputStream in = resource.getInputStream()) {
                    files.add(new RouteFile(entry, null, entry, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new RouteFileException(entry, "cannot be read: " + e.getMessage(), e);
                }
                continue;
            }
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                List<Path> listed;
                try (Stream<Path> children = Files.list(path)) {
                    listed = children.filter(RouteFiles::isRouteFile).sorted().toList();
                } catch (IOException e) {
                    throw new SettingException("sluice.routes", entry, "a readable folder");
                }
                listed.forEach(f -> files.add(readFile(f.toString(), f)));
            } else if (Files.isRegularFile(path) && isRouteFile(path)) {
                files.add(readFile(entry, path));
            } else {
                throw new SettingException(
                        "sluice.routes", entry, "route files (.yaml, .yml, .xml) or folders that exist");
            }
        }
        if (files.isEmpty()) {
            throw new SettingException("sluice.routes", String.join(",", entries), "at least one route file");
        }
        return files;
    }

    private static final Pattern SETTING_PLACEHOLDER = Pattern.compile("\\{\\{\\??(sluice\\.[^}:]+)(?::[^}]*)?}}");

    /**
     * The settings the files name as placeholders, {@code {{sluice.rabbitmq.url}}} or
     * {@code {{sluice.rabbitmq.url:default}}}: known settings while the files are loaded.
     */
    public static Set<String> placeholders(List<RouteFile> files) {
        Set<String> keys = new TreeSet<>();
        for (RouteFile file : files) {
            Matcher m = SETTING_PLACEHOLDER.matcher(file.content());
            while (m.find()) {
                keys.add(m.group(1).strip());
            }
        }
        return keys;
    }

    /** Whether Sluice reads routes from the file, by its extension. */
    public static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".xml");
    }

    private static RouteFile readFile(String name, Path path) {
        try {
            return new RouteFile(name, path, "file:" + path.toAbsolutePath().normalize(), Files.readString(path));
        } catch (IOException e) {
            throw new RouteFileException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Adds the routes of these files to the context (they start with it, or at once if it runs). */
    public static void loadFiles(CamelContext camel, List<RouteFile> files) throws Exception {
        PluginHelper.getRoutesLoader(camel)
                .loadRoutes(files.stream().map(RouteFile::resource).toList());
    }
}
