package io.sluice.gateway.admin;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * The routes' part of readiness: every route started, and every readiness check Camel and its components
 * register (camel-health: the context, the routes, and consumers such as Kafka's that know whether their broker
 * answers) up.
 */
public final class CamelReadiness {
    private CamelReadiness() {}

    /** The checks of this context, now. */
    public static List<Readiness.Check> check(CamelContext camel) {
        List<Readiness.Check> checks = new ArrayList<>();
        if (!camel.isStarted()) {
            return List.of(Readiness.Check.down("routes", "the Camel context is " + camel.getStatus()));
        }
        List<String> stopped = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (status != ServiceStatus.Started) {
                stopped.add(route.getRouteId() + " " + status);
            }
        }
        if (camel.getRoutes().isEmpty()) {
            checks.add(Readiness.Check.down("routes", "no routes"));
        } else if (!stopped.isEmpty()) {
            checks.add(Readiness.Check.down("routes", "not started: " + String.join(", ", stopped)));
        } else {
            checks.add(Readiness.Check.up("routes"));
        }
        for (HealthCheck.Result result : HealthCheckHelper.invokeReadiness(camel)) {
            if (result.getState() == HealthCheck.State.DOWN) {
                checks.add(Readiness.Check.down(
                        "camel:" + result.getCheck().getId(),
                        result.getMessage()
                                .or(() -> result.getError().map(Throwable::toString))
                                .orElse("down")));
            }
        }
        return checks;
    }
}
