package io.sluice.gateway.cli;

import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.routefiles.RouteValidator;
import io.sluice.gateway.routefiles.ValidatedRoutes;
import io.sluice.gateway.settings.SettingsCatalog;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.spi.SettingDefinitions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code check}: everything start-up checks before it opens or listens on anything. The route files are validated
 * ({@link RouteValidator}), unknown settings refused, and every module's settings read and checked
 * ({@link SettingDefinitions#check}), the TLS key material included. Exit 0 with one line saying what was checked,
 * or 2 with the one line naming the problem: fit for a CI step or a deployment's pre-flight.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Validate the settings and route files as start-up does, without starting; exit 0 or 2.")
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            SettingsSources settings = SettingsSources.load();
            SettingsCatalog catalog = settings.catalog();
            ValidatedRoutes routes = RouteValidator.validate(settings, GatewaySettings.ROUTES.get(settings));
            settings.refuseUnknown(routes.placeholders());
            for (SettingDefinitions module : catalog.modules()) {
                module.check(settings);
            }
            spec.commandLine()
                    .getOut()
                    .println("sluice: settings and route files are valid ("
                            + routes.files().size() + " route file"
                            + (routes.files().size() == 1 ? "" : "s") + ", "
                            + routes.routes().size() + " routes, "
                            + settings.given().size() + " settings given)");
            spec.commandLine().getOut().flush();
            return 0;
        } catch (RuntimeException e) {
            return Problems.report(e, spec.commandLine().getErr());
        }
    }
}
