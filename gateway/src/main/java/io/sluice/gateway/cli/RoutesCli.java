package io.sluice.gateway.cli;

import io.sluice.gateway.routefiles.RoutesCommand;
import io.sluice.gateway.settings.SettingsSources;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code routes}: the dry run of the route files, {@link RoutesCommand}. */
@Command(
        name = "routes",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Dry run: validate the route files and print the routes that would run; exit 0 or 2.")
public final class RoutesCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return RoutesCommand.run(SettingsSources.load(), System.out, System.err);
        } catch (RuntimeException e) {
            return Problems.report(e, spec.commandLine().getErr());
        }
    }
}
