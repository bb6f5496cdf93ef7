package io.sluice.gateway.routefiles;

import static io.sluice.gateway.routefiles.RouteDefinitions.describe;
import static io.sluice.gateway.routefiles.RouteDefinitions.describeId;
import static io.sluice.gateway.routefiles.RouteDefinitions.uris;

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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Checks route files before the gateway runs them, and says what is wrong in one line naming the file
 * ({@link CamelProblems} explains what Camel throws; {@link RouteRenderer} renders the routes that passed for the
 * dry run).
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

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::[^}]*)?}}");

    private final DefaultCamelContext scratch;
    private final List<RouteFile> files;
    private final RouteFileNames names;

    private RouteValidator(DefaultCamelContext scratch, List<RouteFile> files) {
        this.scratch = scratch;
        this.files = files;
        this.names = new RouteFileNames(files);
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
                throw new RouteFileException(
                        file.name(), "cannot be read: " + CamelProblems.parseProblem(CamelProblems.rootCause(e)), e);
            }
        }
        List<RouteDefinition> routes = List.copyOf(scratch.getRouteDefinitions());
        Map<SluiceOperation, RouteDefinition> consumers = new EnumMap<>(SluiceOperation.class);
        for (RouteDefinition route : routes) {
            if (route.getInput() == null
                    || route.getInput().getEndpointUri() == null
                    || route.getInput().getEndpointUri().isBlank()) {
                throw new RouteFileException(
                        names.of(route),
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
                        names.all(), "no route consumes " + operation + " (" + operation.purpose() + ")");
            }
        }
        try {
            // init builds every route (endpoints, placeholders, kamelets) but starts neither routes nor
            // components: the embedded store, for one, opens its files only when started.
            scratch.init();
        } catch (Exception e) {
            throw CamelProblems.buildFailure(e, routes, names);
        }
        return new RouteRenderer(scratch, names, this::resolve).render(files, routes, consumers);
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
            throw CamelProblems.unknownComponent(names.of(route), describe(route), uri, null);
        } else if (scheme.equals("kamelet")) {
            String name = path.replaceFirst("/.*$", "");
            if (!name.equals("source") && !name.equals("sink") && !kamelets().contains(name)) {
                throw new RouteFileException(
                        names.of(route),
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
                    names.of(route),
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
                    names.of(route),
                    operation + " in 'from:' of " + describe(route)
                            + ": routes send messages there (expected: in 'to:')");
        }
        if (!isFrom && operation.isConsumed()) {
            throw new RouteFileException(
                    names.of(route),
                    operation + " in 'to:' of " + describe(route)
                            + ": client requests enter routes there (expected: in 'from:')");
        }
        if (isFrom) {
            RouteDefinition first = consumers.putIfAbsent(operation, route);
            if (first != null) {
                String firstName = names.of(first).equals(names.of(route))
                        ? describeId(first)
                        : describeId(first) + " (" + names.of(first) + ")";
                throw new RouteFileException(
                        names.of(route),
                        operation + " is consumed by two routes, " + firstName + " and " + describeId(route)
                                + " (expected: one)");
            }
        }
    }

    /** The URI with its placeholders resolved, or the one-line problem naming the missing key. */
    String resolve(RouteDefinition route, String uri) {
        try {
            return scratch.resolvePropertyPlaceholders(withTemplateParameters(route, uri));
        } catch (IllegalArgumentException e) {
            throw CamelProblems.missingProperty(names.of(route), describe(route), e)
                    .orElseThrow(() -> new RouteFileException(
                            names.of(route),
                            "cannot resolve " + uri + " in " + describe(route) + ": " + CamelProblems.firstLine(e),
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
