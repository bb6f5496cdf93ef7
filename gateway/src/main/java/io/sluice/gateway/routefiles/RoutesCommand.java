package io.sluice.gateway.routefiles;

import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.camel.SluiceOperation;
import io.sluice.gateway.routefiles.ValidatedRoutes.RouteView;
import io.sluice.gateway.settings.SettingsCatalog;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar sluice-gateway.jar routes}: a dry run of the route files. Validates them exactly as start-up
 * does, without opening the queue or connecting to any backend, and prints the routes that would run, endpoint
 * by endpoint, with their placeholders resolved (secrets masked). Settings no module declares and no route file
 * uses are refused as at start-up. Exit status 0 when they are valid, 2 with
 * one line naming the file and the problem when not: fit for a CI step.
 *
 * <pre>{@code
 * java -Dsluice.routes=examples/rabbitmq/routes.yaml -jar gateway/target/sluice-gateway.jar routes
 * }</pre>
 */
public final class RoutesCommand {
    private RoutesCommand() {}

    /** Runs the command and returns its exit status. */
    public static int run(Settings settings, PrintStream out, PrintStream err) {
        ValidatedRoutes routes;
        try {
            routes = RouteValidator.validate(settings, GatewaySettings.ROUTES.get(settings));
            SettingsSources.refuseUnknown(settings, SettingsCatalog.installed(), routes.placeholders());
        } catch (RouteFileException e) {
            err.println("sluice: " + e.getMessage());
            return 2;
        } catch (SettingException e) {
            err.println("sluice: " + e.problem());
            return 2;
        }
        print(routes, out);
        return 0;
    }

    /** The routes, the {@code sluice:} endpoints first in protocol order, then those feeding deliver, then the rest. */
    static void print(ValidatedRoutes routes, PrintStream out) {
        out.println("# Route files: "
                + String.join(", ", routes.files().stream().map(f -> f.name()).toList()));
        List<RouteView> rest = new ArrayList<>(routes.routes());
        for (SluiceOperation operation : SluiceOperation.values()) {
            if (operation == SluiceOperation.DELIVER) {
                for (RouteView route : List.copyOf(rest)) {
                    if (route.delivers() && route.consumes() == null) {
                        print("routes into " + operation, route, out);
                        rest.remove(route);
                    }
                }
                continue;
            }
            for (RouteView route : List.copyOf(rest)) {
                if (route.consumes() == operation) {
                    print(operation + " (" + operation.purpose() + ")", route, out);
                    rest.remove(route);
                }
            }
        }
        for (RouteView route : rest) {
            print("other route", route, out);
        }
    }

    private static void print(String heading, RouteView route, PrintStream out) {
        out.println();
        out.println("# " + heading + ": route " + route.id() + " in " + route.file());
        out.println(route.yaml().stripTrailing());
        for (RouteView kamelet : route.kamelets()) {
            out.println("#   its kamelet runs as route " + kamelet.id() + ":");
            kamelet.yaml().stripTrailing().lines().forEach(l -> out.println("#   " + l));
        }
    }
}
