package io.sluice.gateway.routefiles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;

/** What validation, its explanations and the dry run read off a route's model, in one place. */
final class RouteDefinitions {
    private RouteDefinitions() {}

    /** Every endpoint URI a route names: its {@code from} first, then every {@code to}, {@code toD}, {@code wireTap} … */
    static List<String> uris(RouteDefinition route) {
        List<String> uris = new ArrayList<>();
        uris.add(route.getInput().getEndpointUri());
        Collection<EndpointRequiredDefinition> sends =
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class);
        sends.forEach(s -> uris.add(s.getEndpointUri()));
        Collection<ToDynamicDefinition> dynamic =
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDynamicDefinition.class);
        dynamic.forEach(d -> uris.add(d.getUri()));
        uris.removeIf(u -> u == null || u.isBlank());
        return uris;
    }

    /** The route that added this one through a kamelet, or null. */
    static String parentOf(RouteDefinition route) {
        if (!Boolean.TRUE.equals(route.isKamelet()) || route.getTemplateParameters() == null) {
            return null;
        }
        Object parent = route.getTemplateParameters().get("parentRouteId");
        return parent == null ? null : parent.toString();
    }

    /** {@code route outbound}, or the route's input when it has no id. */
    static String describe(RouteDefinition route) {
        return route.getRouteId() != null
                ? "route " + route.getRouteId()
                : "the route from " + route.getInput().getEndpointUri();
    }

    /** {@code outbound}, or the route's input when it has no id. */
    static String describeId(RouteDefinition route) {
        return route.getRouteId() != null
                ? route.getRouteId()
                : "the route from " + route.getInput().getEndpointUri();
    }
}
