package io.sluice.gateway.routefiles;

import io.sluice.gateway.routefiles.RouteFiles.RouteFile;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of route files ({@code sluice.routes.reload=true}): when a route file, or a folder of them, named
 * in {@code sluice.routes} changes, the whole set is validated again exactly as at start-up, and only then
 * are the routes of the changed files swapped: the old ones stop (each finishing the requests it took), the
 * new ones start. Requests that arrive in between wait for the new route; client connections stay open. An
 * edit that fails validation is rejected with a log line naming the file and the problem, and the running
 * routes stay as they are.
 *
 * <p>{@code classpath:} entries never change and are not watched.
 *
 * <pre>{@code
 * RouteReloader reloader = RouteReloader.start(settings, entries, camel, validated.files());
 * reloader.reloadNow();   // what the watcher does after an edit; tests call it to skip the wait
 * }</pre>
 */
public final class RouteReloader implements AutoCloseable {
    /** The setting that turns hot reload on. */
    public static final String SETTING = io.sluice.gateway.GatewaySettings.ROUTES_RELOAD.key();

    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);
    /** Editors save in several writes (truncate, write, rename): act once the folder has been quiet this long. */
    private static final Duration QUIET = Duration.ofMillis(250);

    /** What one reload did. */
    public enum Outcome {
        /** No route file changed. */
        UNCHANGED,
        /** The changed files' routes were swapped in. */
        RELOADED,
        /** The edit failed validation; the running routes stay. */
        REJECTED,
        /** The new routes validated but did not start; the previous routes were restored. */
        FAILED
    }

    private final Settings settings;
    private final List<String> entries;
    private final CamelContext camel;
    private final WatchService watcher;
    private final Thread thread;
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger rejections = new AtomicInteger();
    private List<RouteFile> applied; // guarded by this
    private volatile String lastProblem;

    private RouteReloader(
            Settings settings,
            List<String> entries,
            CamelContext camel,
            List<RouteFile> applied,
            WatchService watcher) {
        this.settings = settings;
        this.entries = List.copyOf(entries);
        this.camel = camel;
        this.applied = List.copyOf(applied);
        this.watcher = watcher;
        this.thread = watcher == null
                ? null
                : Thread.ofPlatform().name("sluice-route-reload").daemon().unstarted(this::watch);
    }

    /**
     * Watches the route files when {@code sluice.routes.reload} is true.
     *
     * @param loaded the files as the context loaded them
     * @return the running reloader, or empty when reload is off
     */
    public static Optional<RouteReloader> startIfEnabled(
            Settings settings, List<String> entries, CamelContext camel, List<RouteFile> loaded) throws IOException {
        if (!io.sluice.gateway.GatewaySettings.ROUTES_RELOAD.get(settings)) {
            return Optional.empty();
        }
        return Optional.of(start(settings, entries, camel, loaded));
    }

    /** Watches the folders of the route files named by {@code entries}. */
    public static RouteReloader start(
            Settings settings, List<String> entries, CamelContext camel, List<RouteFile> loaded) throws IOException {
        Set<Path> folders = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry.startsWith("classpath:")) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            folders.add(Files.isDirectory(path) ? path : path.getParent());
        }
        WatchService watcher = null;
        if (!folders.isEmpty()) {
            watcher = FileSystems.getDefault().newWatchService();
            for (Path folder : folders) {
                folder.register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
        RouteReloader reloader = new RouteReloader(settings, entries, camel, loaded, watcher);
        if (reloader.thread != null) {
            reloader.thread.start();
        }
        LOG.atInfo()
                .addKeyValue("event", "routes.watching")
                .addKeyValue("folders", String.valueOf(folders))
                .log();
        return reloader;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean routeFile = drain(key);
                // Let a burst of writes settle before reading the files.
                for (WatchKey more; (more = watcher.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                    routeFile |= drain(more);
                }
                if (routeFile) {
                    reloadNow();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.atError()
                    .addKeyValue("event", "routes.watch.failed")
                    .setCause(e)
                    .log();
        }
    }

    private static boolean drain(WatchKey key) {
        boolean routeFile =
                key.pollEvents().stream().anyMatch(e -> e.context() instanceof Path p && RouteFiles.isRouteFile(p));
        key.reset();
        return routeFile;
    }

    /**
     * Reads the route files now and, if any changed, validates them and swaps the changed files' routes.
     * The watcher calls this after each edit.
     */
    public synchronized Outcome reloadNow() {
        long started = System.nanoTime();
        List<RouteFile> next;
        try {
            next = RouteFiles.read(camel, entries);
        } catch (SettingException | RouteFileException e) {
            return reject(String.join(", ", entries), e.getMessage());
        }
        Map<String, RouteFile> before = byLocation(applied);
        Map<String, RouteFile> after = byLocation(next);
        Set<String> changed = new LinkedHashSet<>();
        before.forEach((location, file) -> {
            if (!after.containsKey(location) || !after.get(location).content().equals(file.content())) {
                changed.add(location);
            }
        });
        after.keySet().stream().filter(l -> !before.containsKey(l)).forEach(changed::add);
        if (changed.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        try {
            RouteValidator.validateFiles(settings, next);
        } catch (RouteFileException e) {
            return reject(e.file(), e.problem());
        } catch (SettingException e) {
            return reject(String.join(", ", entries), "invalid setting " + e.getMessage());
        }
        List<String> removed = removeRoutesOf(changed);
        List<RouteFile> incoming =
                next.stream().filter(f -> changed.contains(f.location())).toList();
        try {
            RouteFiles.loadFiles(camel, incoming);
        } catch (Exception e) {
            LOG.atError()
                    .addKeyValue("event", "routes.reload.failed")
                    .addKeyValue("files", String.valueOf(names(incoming)))
                    .addKeyValue("error", e.toString())
                    .addKeyValue("action", "restoring_previous_routes")
                    .log();
            restore(changed, before);
            lastProblem = e.toString();
            return Outcome.FAILED;
        }
        applied = List.copyOf(next);
        reloads.incrementAndGet();
        lastProblem = null;
        LOG.atInfo()
                .addKeyValue("event", "routes.reloaded")
                .addKeyValue("files", String.valueOf(names(incoming)))
                .addKeyValue("removed", String.valueOf(removed))
                .addKeyValue("running", String.valueOf(routeIdsOf(changed)))
                .addKeyValue("took_ms", (System.nanoTime() - started) / 1_000_000)
                .log();
        return Outcome.RELOADED;
    }

    private Outcome reject(String file, String problem) {
        rejections.incrementAndGet();
        lastProblem = file + ": " + problem;
        LOG.atWarn()
                .addKeyValue("event", "routes.reload.rejected")
                .addKeyValue("file", String.valueOf(file))
                .addKeyValue("problem", problem)
                .addKeyValue("action", "keeping_running_routes")
                .log();
        return Outcome.REJECTED;
    }

    /** Puts back the previous text of the changed files after new routes failed to start. */
    private void restore(Set<String> changed, Map<String, RouteFile> before) {
        try {
            removeRoutesOf(changed);
            RouteFiles.loadFiles(
                    camel,
                    before.values().stream()
                            .filter(f -> changed.contains(f.location()))
                            .toList());
        } catch (Exception e) {
            LOG.atError()
                    .addKeyValue("event", "routes.restore.failed")
                    .setCause(e)
                    .log();
        }
    }

    /**
     * Stops and removes the routes loaded from these files, with the routes their kamelets added. Routes that
     * feed others stop first: a kamelet that consumes a broker before the route it feeds, a route before the
     * kamelet it sends to, so that nothing in flight finds its next hop gone.
     */
    private List<String> removeRoutesOf(Set<String> locations) {
        ModelCamelContext model = (ModelCamelContext) camel;
        List<String> parents = routeIdsOf(locations);
        List<String> sources = new ArrayList<>();
        List<String> sinks = new ArrayList<>();
        collectKamelets(parents, sources, sinks);
        List<String> order = new ArrayList<>(sources);
        order.addAll(parents);
        order.addAll(sinks);
        for (String id : order) {
            try {
                camel.getRouteController().stopRoute(id);
            } catch (Exception e) {
                LOG.atWarn()
                        .addKeyValue("event", "route.stop.failed")
                        .addKeyValue("route", id)
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
        List<RouteDefinition> definitions = order.stream()
                .map(model::getRouteDefinition)
                .filter(Objects::nonNull)
                .toList();
        try {
            model.removeRouteDefinitions(definitions);
        } catch (Exception e) {
            LOG.atWarn()
                    .addKeyValue("event", "route.remove.failed")
                    .addKeyValue("routes", String.valueOf(order))
                    .addKeyValue("error", e.toString())
                    .log();
        }
        return order;
    }

    private void collectKamelets(List<String> parents, List<String> sources, List<String> sinks) {
        List<String> level = parents;
        while (!level.isEmpty()) {
            List<String> children = new ArrayList<>();
            for (RouteDefinition route : ((ModelCamelContext) camel).getRouteDefinitions()) {
                String parent = RouteDefinitions.parentOf(route);
                if (parent != null && level.contains(parent)) {
                    children.add(route.getRouteId());
                    // A kamelet fed by its parent starts from kamelet:source; one that consumes a broker feeds it.
                    boolean fedByParent = route.getInput().getEndpointUri().startsWith("kamelet:");
                    (fedByParent ? sinks : sources).add(route.getRouteId());
                }
            }
            level = children;
        }
    }

    private List<String> routeIdsOf(Set<String> locations) {
        return ((ModelCamelContext) camel)
                .getRouteDefinitions().stream()
                        .filter(d -> d.getResource() != null
                                && locations.contains(d.getResource().getLocation()))
                        .map(RouteDefinition::getRouteId)
                        .toList();
    }

    private static Map<String, RouteFile> byLocation(List<RouteFile> files) {
        Map<String, RouteFile> map = new LinkedHashMap<>();
        files.forEach(f -> map.put(f.location(), f));
        return map;
    }

    private static List<String> names(List<RouteFile> files) {
        return files.stream().map(RouteFile::name).toList();
    }

    /** How many edits were swapped in. */
    public int reloads() {
        return reloads.get();
    }

    /** How many edits were rejected. */
    public int rejections() {
        return rejections.get();
    }

    /** The problem of the last rejected or failed edit, if the last reload did not succeed. */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** Stops watching. */
    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.atDebug()
                        .addKeyValue("event", "routes.watch.close_failed")
                        .addKeyValue("error", e.toString())
                        .log();
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
