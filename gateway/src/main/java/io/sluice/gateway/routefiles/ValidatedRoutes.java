package io.sluice.gateway.routefiles;

import io.sluice.gateway.camel.SluiceOperation;
import java.util.List;
import java.util.Set;

/**
 * Route files that passed {@link RouteValidator}, and the routes they would run, as {@code sluice routes} prints
 * them.
 *
 * @param files  the route files, with the text that was checked: load exactly that
 * @param routes every route of the files, in the order they were read
 */
public record ValidatedRoutes(List<RouteFiles.RouteFile> files, List<RouteView> routes) {
    public ValidatedRoutes {
        files = List.copyOf(files);
        routes = List.copyOf(routes);
    }

    /** The settings the files name as placeholders: known settings while these files run. */
    public Set<String> placeholders() {
        return RouteFiles.placeholders(files);
    }

    /**
     * One route that would run.
     *
     * @param id       its id
     * @param file     the file it comes from, or null for a route a kamelet adds
     * @param consumes the {@code sluice:} endpoint it consumes, or null
     * @param delivers whether it sends to {@code sluice:deliver}
     * @param yaml     the route as YAML, placeholders resolved, secrets masked
     * @param kamelets the routes its kamelets add
     */
    public record RouteView(
            String id, String file, SluiceOperation consumes, boolean delivers, String yaml, List<RouteView> kamelets) {
        public RouteView {
            kamelets = List.copyOf(kamelets);
        }
    }
}
