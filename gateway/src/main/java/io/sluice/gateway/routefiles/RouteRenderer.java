package io.sluice.gateway.routefiles;

import static io.sluice.gateway.routefiles.RouteDefinitions.describe;
import static io.sluice.gateway.routefiles.RouteDefinitions.parentOf;
import static io.sluice.gateway.routefiles.RouteDefinitions.uris;

import io.sluice.gateway.camel.SluiceOperation;
import io.sluice.gateway.routefiles.RouteFiles.RouteFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.URISupport;

/**
 * The dry run's view of validated routes ({@code sluice routes}): each route as YAML with placeholders resolved
 * and secrets masked, what it consumes, whether it delivers, and the routes its kamelets add.
 */
final class RouteRenderer {
    private static final Pattern YAML_KEY = Pattern.compile("^(\\s*-?\\s*)([A-Za-z0-9_.-]+): (.+)$");

    private final CamelContext scratch;
    private final RouteFileNames names;
    private final BiFunction<RouteDefinition, String, String> resolve;

    /**
     * @param scratch the context the routes were built in
     * @param names   the files' names
     * @param resolve a URI of a route with its placeholders resolved
     */
    RouteRenderer(CamelContext scratch, RouteFileNames names, BiFunction<RouteDefinition, String, String> resolve) {
        this.scratch = scratch;
        this.names = names;
        this.resolve = resolve;
    }

    ValidatedRoutes render(
            List<RouteFile> files, List<RouteDefinition> routes, Map<SluiceOperation, RouteDefinition> consumers) {
        List<RouteDefinition> all =
                scratch.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions();
        List<ValidatedRoutes.RouteView> views = new ArrayList<>();
        for (RouteDefinition route : routes) {
            SluiceOperation consumes = consumers.entrySet().stream()
                    .filter(e -> e.getValue() == route)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            boolean delivers = uris(route).stream()
                    .map(u -> resolve.apply(route, u))
                    .anyMatch(u -> u.startsWith(SluiceOperation.DELIVER.uri()));
            List<ValidatedRoutes.RouteView> kamelets = new ArrayList<>();
            for (RouteDefinition child : all) {
                if (route.getRouteId() != null && route.getRouteId().equals(parentOf(child))) {
                    kamelets.add(new ValidatedRoutes.RouteView(
                            child.getRouteId(), null, null, false, dump(child), List.of()));
                }
            }
            views.add(new ValidatedRoutes.RouteView(
                    route.getRouteId(), names.of(route), consumes, delivers, dump(route), kamelets));
        }
        return new ValidatedRoutes(files, views);
    }

    /** The route as YAML with placeholders resolved and secrets masked: what would run. */
    private String dump(RouteDefinition route) {
        try {
            String yaml = PluginHelper.getModelToYAMLDumper(scratch)
                    .dumpModelAsYaml(scratch, route, true, false, false, false);
            if (route.getTemplateParameters() != null) {
                // A kamelet's own parameters are not context properties: put in the values this route got.
                for (Map.Entry<String, Object> parameter :
                        route.getTemplateParameters().entrySet()) {
                    yaml = yaml.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
                }
            }
            return yaml.lines().map(RouteRenderer::mask).collect(Collectors.joining("\n"));
        } catch (Exception e) {
            return "# cannot print " + describe(route) + ": " + CamelProblems.firstLine(e);
        }
    }

    private static String mask(String line) {
        Matcher m = YAML_KEY.matcher(line);
        if (m.matches() && SensitiveUtils.containsSensitive(m.group(2))) {
            return m.group(1) + m.group(2) + ": xxxxxx";
        }
        return URISupport.sanitizeUri(line);
    }
}
