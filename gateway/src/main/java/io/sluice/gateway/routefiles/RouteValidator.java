package io.sluice.gateway.routefiles;

import io.sluice.gateway.camel.SettingsPropertiesSource;
import io.sluice.gateway.camel.SluiceComponent;
import io.sluice.gateway.camel.SluiceOperation;
import io.sluice.gateway.routefiles.RouteFiles.RouteFile;
import io.sluice.spi.Address;
import io.sluice.spi.Enqueue;
import io.sluice.spi.Enqueued;
import io.sluice.spi.MessageQueue;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.QueueUsage;
import io.sluice.spi.QueuedMessage;
import io.sluice.spi.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.URISupport;

/**
 * Checks route files before the gateway runs them, and says what is wrong in one line naming the file.
 *
 * <p>The files are loaded into a throw-away Camel context with the gateway's settings as placeholders and
 * built there, but not started: nothing connects to a backend, no store or queue is opened (so the check also
 * runs beside a live gateway, for hot reload). A file is refused when
 * <ul>
 *   <li>it does not parse;</li>
 *   <li>a {@code sluice:} endpoint the gateway calls has no route, or two routes consume one;</li>
 *   <li>a {@code sluice:} endpoint is unknown or used in the wrong direction;</li>
 *   <li>a URI names a component (scheme) or a kamelet that is not on the class path;</li>
 *   <li>a property placeholder has no value and no default;</li>
 *   <li>Camel cannot build a route for any other reason (an unknown option, a missing bean, …).</li>
 * </ul>
 *
 * <pre>{@code
 * ValidatedRoutes routes = RouteValidator.validate(settings, List.of("examples/rabbitmq/routes.yaml"));
 * }</pre>
 */
public final class RouteValidator {
    /** Where the kamelet component looks by default; the gateway ships its own there. */
    static final String KAMELETS = "classpath:kamelets";

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[([^]]+)] not found");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::[^}]*)?}}");
    private static final Pattern KAMELET_FAILURE = Pattern.compile("route from template: ([^\\s]+)");

    private final Map<String, String> names = new LinkedHashMap<>();
    private final DefaultCamelContext scratch;
    private final List<RouteFile> files;

    private RouteValidator(DefaultCamelContext scratch, List<RouteFile> files) {
        this.scratch = scratch;
        this.files = files;
        files.forEach(f -> names.put(f.location(), f.name()));
    }

    /**
     * Reads and checks the route files that {@code sluice.routes}-style entries name. Nothing is started: no
     * route, no component, no connection to a backend.
     *
     * @throws RouteFileException             naming the file and the problem
     * @throws io.sluice.spi.SettingException when an entry names no route file
     */
    public static ValidatedRoutes validate(Settings settings, List<String> entries) {
        DefaultCamelContext scratch = scratchContext(settings);
        try {
            return new RouteValidator(scratch, RouteFiles.read(scratch, entries)).check();
        } finally {
            scratch.stop();
        }
    }

    /** Checks route files already read: the reloader checks exactly the text it will load. */
    public static ValidatedRoutes validateFiles(Settings settings, List<RouteFile> files) {
        DefaultCamelContext scratch = scratchContext(settings);
        try {
            return new RouteValidator(scratch, files).check();
        } finally {
            scratch.stop();
        }
    }

    private static DefaultCamelContext scratchContext(Settings settings) {
        DefaultCamelContext scratch = new DefaultCamelContext();
        scratch.getCamelContextExtension().setName("sluice-route-check");
        scratch.setStartupSummaryLevel(StartupSummaryLevel.Off);
        SettingsPropertiesSource.install(scratch, settings);
        scratch.addComponent("sluice", new SluiceComponent(new UnopenedQueue()));
        // Build every route, start none: validation must not connect to anything.
        scratch.setAutoStartup(false);
        return scratch;
    }

    private ValidatedRoutes check() {
        for (RouteFile file : files) {
            try {
                PluginHelper.getRoutesLoader(scratch).loadRoutes(List.of(file.resource()));
            } catch (Exception e) {
                throw new RouteFileException(file.name(), "cannot be read: " + parseProblem(rootCause(e)), e);
            }
        }
        List<RouteDefinition> routes = List.copyOf(scratch.getRouteDefinitions());
        Map<SluiceOperation, RouteDefinition> consumers = new EnumMap<>(SluiceOperation.class);
        for (RouteDefinition route : routes) {
            if (route.getInput() == null
                    || route.getInput().getEndpointUri() == null
                    || route.getInput().getEndpointUri().isBlank()) {
                throw new RouteFileException(
                        fileOf(route),
                        (route.getRouteId() != null ? "route " + route.getRouteId() : "a route")
                                + " has no 'from:' (expected: the endpoint it consumes, such as"
                                + " from: {uri: sluice:outbound})");
            }
            List<String> uris = uris(route);
            for (int i = 0; i < uris.size(); i++) {
                checkUri(route, resolve(route, uris.get(i)), i == 0, consumers);
            }
        }
        for (SluiceOperation operation : SluiceOperation.values()) {
            if (operation.isConsumed() && !consumers.containsKey(operation)) {
                throw new RouteFileException(
                        allFiles(), "no route consumes " + operation + " (" + operation.purpose() + ")");
            }
        }
        try {
            // init builds every route (endpoints, placeholders, kamelets) but starts neither routes nor
            // components: the embedded store, for one, opens its files only when started.
            scratch.init();
        } catch (Exception e) {
            throw problemStarting(e, routes);
        }
        return summarize(routes, consumers);
    }

    private void checkUri(
            RouteDefinition route, String uri, boolean isFrom, Map<SluiceOperation, RouteDefinition> consumers) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || uri.substring(0, colon).contains("${")) {
            return; // a dynamic URI (toD): its scheme is only known per message
        }
        String scheme = uri.substring(0, colon);
        String path = uri.substring(colon + 1).replaceFirst("^//", "");
        path = path.replaceFirst("[?].*$", "");
        if (scheme.equals("sluice")) {
            checkSluice(route, path, isFrom, consumers);
        } else if (!isComponentAvailable(scheme)) {
            throw unknownComponent(fileOf(route), describe(route), uri, null);
        } else if (scheme.equals("kamelet")) {
            String name = path.replaceFirst("/.*$", "");
            if (!name.equals("source") && !name.equals("sink") && !kamelets().contains(name)) {
                throw new RouteFileException(
                        fileOf(route),
                        "unknown kamelet '" + name + "' in " + describe(route) + " (expected: one of "
                                + String.join(", ", kamelets()) + ")");
            }
        }
    }

    private void checkSluice(
            RouteDefinition route, String path, boolean isFrom, Map<SluiceOperation, RouteDefinition> consumers) {
        Optional<SluiceOperation> found = SluiceOperation.find(path);
        if (found.isEmpty()) {
            throw new RouteFileException(
                    fileOf(route),
                    "sluice:" + path + " in " + describe(route)
                            + " is no sluice: endpoint (expected: "
                            + Arrays.stream(SluiceOperation.values())
                                    .map(SluiceOperation::uri)
                                    .collect(Collectors.joining(", "))
                            + ")");
        }
        SluiceOperation operation = found.get();
        if (isFrom && !operation.isConsumed()) {
            throw new RouteFileException(
                    fileOf(route),
                    operation + " in 'from:' of " + describe(route)
                            + ": routes send messages there (expected: in 'to:')");
        }
        if (!isFrom && operation.isConsumed()) {
            throw new RouteFileException(
                    fileOf(route),
                    operation + " in 'to:' of " + describe(route)
                            + ": client requests enter routes there (expected: in 'from:')");
        }
        if (isFrom) {
            RouteDefinition first = consumers.putIfAbsent(operation, route);
            if (first != null) {
                String firstName = fileOf(first).equals(fileOf(route))
                        ? describeId(first)
                        : describeId(first) + " (" + fileOf(first) + ")";
                throw new RouteFileException(
                        fileOf(route),
                        operation + " is consumed by two routes, " + firstName + " and " + describeId(route)
                                + " (expected: one)");
            }
        }
    }

    /** The URI with its placeholders resolved, or the one-line problem naming the missing key. */
    private String resolve(RouteDefinition route, String uri) {
        try {
            return scratch.resolvePropertyPlaceholders(withTemplateParameters(route, uri));
        } catch (IllegalArgumentException e) {
            throw missingProperty(fileOf(route), describe(route), e)
                    .orElseThrow(() -> new RouteFileException(
                            fileOf(route),
                            "cannot resolve " + uri + " in " + describe(route) + ": " + firstLine(e),
                            e));
        }
    }

    /** A route made from a template (or kamelet) sees the template's parameters as placeholders first. */
    private static String withTemplateParameters(RouteDefinition route, String text) {
        Map<String, Object> parameters = route.getTemplateParameters();
        if (parameters == null || parameters.isEmpty() || !text.contains("{{")) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            Object value = parameters.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value.toString() : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Optional<RouteFileException> missingProperty(String file, String where, Throwable failure) {
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

    private static RouteFileException unknownComponent(String file, String where, String uri, Throwable cause) {
        String scheme = uri.replaceFirst(":.*$", "");
        return new RouteFileException(
                file,
                "unknown component '" + scheme + "' in " + where + " (" + URISupport.sanitizeUri(uri) + "): no camel-"
                        + scheme + " on the gateway's class path",
                cause);
    }

    private RouteFileException problemStarting(Exception failure, List<RouteDefinition> routes) {
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
        String file = route == null ? allFiles() : fileOf(route);
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

    private ValidatedRoutes summarize(List<RouteDefinition> routes, Map<SluiceOperation, RouteDefinition> consumers) {
        List<ValidatedRoutes.RouteView> views = new ArrayList<>();
        for (RouteDefinition route : routes) {
            SluiceOperation consumes = consumers.entrySet().stream()
                    .filter(e -> e.getValue() == route)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            boolean delivers = uris(route).stream()
                    .map(u -> resolve(route, u))
                    .anyMatch(u -> u.startsWith(SluiceOperation.DELIVER.uri()));
            List<ValidatedRoutes.RouteView> kamelets = new ArrayList<>();
            for (RouteDefinition child : scratch.getRouteDefinitions()) {
                if (route.getRouteId() != null && route.getRouteId().equals(parentOf(child))) {
                    kamelets.add(new ValidatedRoutes.RouteView(
                            child.getRouteId(), null, null, false, dump(child), List.of()));
                }
            }
            views.add(new ValidatedRoutes.RouteView(
                    route.getRouteId(), fileOf(route), consumes, delivers, dump(route), kamelets));
        }
        return new ValidatedRoutes(files, views);
    }

    /** The route that added this one through a kamelet, or null. */
    static String parentOf(RouteDefinition route) {
        if (!Boolean.TRUE.equals(route.isKamelet()) || route.getTemplateParameters() == null) {
            return null;
        }
        Object parent = route.getTemplateParameters().get("parentRouteId");
        return parent == null ? null : parent.toString();
    }

    /** The route as YAML with placeholders resolved and secrets masked: what would run. */
    private String dump(RouteDefinition route) {
        if (route == null) {
            return "";
        }
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
            return yaml.lines().map(RouteValidator::mask).collect(Collectors.joining("\n"));
        } catch (Exception e) {
            return "# cannot print " + describe(route) + ": " + firstLine(e);
        }
    }

    private static final Pattern YAML_KEY = Pattern.compile("^(\\s*-?\\s*)([A-Za-z0-9_.-]+): (.+)$");

    private static String mask(String line) {
        Matcher m = YAML_KEY.matcher(line);
        if (m.matches() && SensitiveUtils.containsSensitive(m.group(2))) {
            return m.group(1) + m.group(2) + ": xxxxxx";
        }
        return URISupport.sanitizeUri(line);
    }

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

    private boolean isComponentAvailable(String scheme) {
        if (scratch.hasComponent(scheme) != null) {
            return true;
        }
        try {
            return PluginHelper.getComponentResolver(scratch).resolveComponent(scheme, scratch) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private Set<String> kamelets;

    private Set<String> kamelets() {
        if (kamelets == null) {
            kamelets = new TreeSet<>();
            try {
                for (Resource r : PluginHelper.getPackageScanResourceResolver(scratch)
                        .findResources(KAMELETS + "/*.kamelet.yaml")) {
                    String location = r.getLocation();
                    String file = location.substring(location.lastIndexOf('/') + 1);
                    kamelets.add(file.substring(0, file.length() - ".kamelet.yaml".length()));
                }
            } catch (Exception e) {
                // none found: every kamelet name is reported as unknown
            }
        }
        return kamelets;
    }

    private String fileOf(RouteDefinition route) {
        Resource resource = route.getResource();
        String name = resource == null ? null : names.get(resource.getLocation());
        return name != null ? name : allFiles();
    }

    private String allFiles() {
        return String.join(", ", names.values());
    }

    private static String describe(RouteDefinition route) {
        return route.getRouteId() != null
                ? "route " + route.getRouteId()
                : "the route from " + route.getInput().getEndpointUri();
    }

    private static String describeId(RouteDefinition route) {
        return route.getRouteId() != null
                ? route.getRouteId()
                : "the route from " + route.getInput().getEndpointUri();
    }

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

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

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).strip();
    }

    /** Stands in for the queue while validating: no route starts, so nothing may ever call it. */
    private static final class UnopenedQueue implements MessageQueue {
        private static IllegalStateException unused() {
            return new IllegalStateException("route validation runs no route");
        }

        @Override
        public CompletionStage<List<Enqueued>> enqueue(List<Enqueue> messages, QueueQuota quota) {
            throw unused();
        }

        @Override
        public CompletionStage<List<QueuedMessage>> read(Address recipient, long afterId, int max) {
            throw unused();
        }

        @Override
        public CompletionStage<Void> acknowledge(Address recipient, long id) {
            throw unused();
        }

        @Override
        public CompletionStage<QueueUsage> usage(Address recipient) {
            throw unused();
        }

        @Override
        public Subscription subscribe(Address recipient, Listener listener) {
            throw unused();
        }

        @Override
        public CompletionStage<Void> signal(Address recipient, Signal signal) {
            throw unused();
        }

        @Override
        public void close() {
            // nothing was opened
        }
    }
}
