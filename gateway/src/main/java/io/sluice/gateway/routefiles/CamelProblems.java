package io.sluice.gateway.routefiles;

import static io.sluice.gateway.routefiles.RouteDefinitions.describe;
import static io.sluice.gateway.routefiles.RouteDefinitions.uris;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;

/**
 * Turns what Camel throws while reading or building routes (nested exceptions, multi-line parser messages) into the
 * one line a user can act on, naming the file and the route: an unresolved placeholder, a component not on the
 * class path, a kamelet that failed, or the parser's problem with its position.
 */
final class CamelProblems {
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[([^]]+)] not found");
    private static final Pattern KAMELET_FAILURE = Pattern.compile("route from template: ([^\\s]+)");
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private CamelProblems() {}

    /** The unresolved placeholder somewhere in a chain of causes, as the problem of {@code where} in {@code file}. */
    static Optional<RouteFileException> missingProperty(String file, String where, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = t.getMessage() == null ? null : MISSING_PROPERTY.matcher(t.getMessage());
            if (m != null && m.find()) {
                String key = m.group(1);
                return Optional.of(new RouteFileException(
                        file,
                        "unresolved placeholder {{" + key + "}} in " + where + " (expected: a setting " + key
                                + ", or a default: {{" + key + ":value}})",
                        failure));
            }
        }
        return Optional.empty();
    }

    /** A URI whose scheme names no component on the class path. */
    static RouteFileException unknownComponent(String file, String where, String uri, Throwable cause) {
        String scheme = uri.replaceFirst(":.*$", "");
        return new RouteFileException(
                file,
                "unknown component '" + scheme + "' in " + where + " (" + URISupport.sanitizeUri(uri) + "): no camel-"
                        + scheme + " on the gateway's class path",
                cause);
    }

    /** Why Camel could not build the routes, pinned to the route (or kamelet) that failed. */
    static RouteFileException buildFailure(Exception failure, List<RouteDefinition> routes, RouteFileNames files) {
        String routeId = null;
        String kamelet = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException f && routeId == null) {
                routeId = f.getRouteId();
            }
            if (t instanceof VetoCamelContextStartException && t.getMessage() != null) {
                Matcher m = KAMELET_FAILURE.matcher(t.getMessage());
                if (m.find()) {
                    kamelet = m.group(1);
                }
            }
        }
        RouteDefinition route = null;
        String kameletUri = "kamelet:" + kamelet;
        for (RouteDefinition r : routes) {
            if (routeId != null && routeId.equals(r.getRouteId())
                    || kamelet != null && uris(r).stream().anyMatch(u -> u.startsWith(kameletUri))) {
                route = r;
                break;
            }
        }
        String file = route == null ? files.all() : files.of(route);
        String where = route == null
                ? (kamelet == null ? "the routes" : "kamelet " + kamelet)
                : describe(route) + (kamelet == null ? "" : " (kamelet " + kamelet + ")");
        Optional<RouteFileException> missing = missingProperty(file, where, failure);
        if (missing.isPresent()) {
            return missing.get();
        }
        Throwable root = rootCause(failure);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String uri = null;
            if (t instanceof NoSuchEndpointException n) {
                uri = n.getUri();
            } else if (t instanceof ResolveEndpointFailedException r
                    && firstLine(r).contains("No component found")) {
                uri = r.getUri();
            }
            if (uri != null) {
                return unknownComponent(file, where, uri, failure);
            }
        }
        return new RouteFileException(file, where + " cannot be built: " + parseProblem(root), failure);
    }

    /**
     * A parser's message in one line. SnakeYAML's has a context, its position, a snippet with a caret, then the
     * problem: {@code while parsing a flow sequence (line 3, column 12): expected ',' or ']', but got ...}.
     */
    static String parseProblem(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        List<String> lines = message.lines().toList();
        StringBuilder out = new StringBuilder(lines.get(0).strip());
        Matcher position = POSITION.matcher(message);
        if (position.find()) {
            out.append(" (line ")
                    .append(position.group(1))
                    .append(", column ")
                    .append(position.group(2))
                    .append(')');
        }
        for (int i = 1; i + 1 < lines.size(); i++) {
            String next = lines.get(i + 1).strip();
            if (lines.get(i).strip().equals("^")
                    && !next.isEmpty()
                    && !POSITION.matcher(next).find()) {
                out.append(": ").append(next);
                break;
            }
        }
        return out.toString();
    }

    static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).strip();
    }
}
