package io.sluice.gateway.routefiles;

import io.sluice.gateway.routefiles.RouteFiles.RouteFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;

/** The names problems are reported under: each route's file as the user wrote it, or all of them. */
final class RouteFileNames {
    private final Map<String, String> names = new LinkedHashMap<>();

    RouteFileNames(List<RouteFile> files) {
        files.forEach(f -> names.put(f.location(), f.name()));
    }

    /** The file the route was read from; all the files when that is not known. */
    String of(RouteDefinition route) {
        Resource resource = route.getResource();
        String name = resource == null ? null : names.get(resource.getLocation());
        return name != null ? name : all();
    }

    /** Every file, comma-separated. */
    String all() {
        return String.join(", ", names.values());
    }
}
