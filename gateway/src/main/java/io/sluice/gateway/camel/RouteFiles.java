package io.sluice.gateway.camel;

import io.sluice.spi.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Finds and loads route files. An entry of {@code sluice.routes} is a file, a folder (its {@code .yaml},
 * {@code .yml} and {@code .xml} files, in name order), or a {@code classpath:} resource.
 */
public final class RouteFiles {
    private RouteFiles() {
    }

    /** The route resources the entries name. */
    public static List<Resource> resolve(CamelContext camel, List<String> entries) {
        List<Resource> resources = new ArrayList<>();
        for (String entry : entries) {
            if (entry.startsWith("classpath:")) {
                Resource resource = PluginHelper.getResourceLoader(camel).resolveResource(entry);
                if (resource == null || !resource.exists()) {
                    throw new SettingException("sluice.routes", entry, "route files or folders that exist");
                }
                resources.add(resource);
                continue;
            }
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(RouteFiles::isRouteFile).sorted()
                            .forEach(f -> resources.add(fileResource(camel, f)));
                } catch (IOException e) {
                    throw new SettingException("sluice.routes", entry, "a readable folder");
                }
            } else if (Files.isRegularFile(path) && isRouteFile(path)) {
                resources.add(fileResource(camel, path));
            } else {
                throw new SettingException("sluice.routes", entry,
                        "route files (.yaml, .yml, .xml) or folders that exist");
            }
        }
        if (resources.isEmpty()) {
            throw new SettingException("sluice.routes", String.join(",", entries), "at least one route file");
        }
        return resources;
    }

    private static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".xml");
    }

    private static Resource fileResource(CamelContext camel, Path path) {
        return PluginHelper.getResourceLoader(camel).resolveResource("file:" + path.toAbsolutePath());
    }

    /** Adds the routes of the entries to the context (they start with it). */
    public static void load(CamelContext camel, List<String> entries) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(resolve(camel, entries));
    }
}
