package io.sluice.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar sluice-gateway.jar [command] [-Dsluice.key=value ...]}: the jar's command line. {@code run}
 * (the default) runs the gateway; {@code routes} is the dry run of the route files; {@code check} validates the
 * settings and route files; {@code settings} prints every setting with its value and source. {@code --help} and
 * {@code --version} exit 0; a mistaken command line exits 2 with one line.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Sluice: a Signal-style messaging gateway whose backends are Camel routes.",
        subcommands = {RunCommand.class, RoutesCli.class, CheckCommand.class, SettingsCommand.class},
        footerHeading = "%nSettings:%n",
        usageHelpWidth = 100,
        footer = {
            "  -Dkey=value before -jar or after the command, an environment variable (SLUICE_PORT for",
            "  sluice.port), or sluice.yaml / sluice.properties (or the file sluice.config names).",
            "  Unknown sluice.* settings are refused; the settings command lists every known one.",
            "%nExit status: 0 done; 1 a route or backend cannot start; 2 a bad command line, setting or route file."
        })
public final class SluiceCommand implements Callable<Integer> {

    /** Runs the command line and returns its exit status; {@code run} returns only if the gateway cannot start. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            // Settings may follow the command, as they would precede -jar: set before anything reads them.
            int equals = arg.indexOf('=');
            if (arg.startsWith("-D") && equals > 2) {
                System.setProperty(arg.substring(2, equals), arg.substring(equals + 1));
            } else {
                rest.add(arg);
            }
        }
        CommandLine commandLine = new CommandLine(new SluiceCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            String message = e instanceof CommandLine.UnmatchedArgumentException unmatched
                            && e.getCommandLine() == commandLine
                            && !unmatched.getUnmatched().isEmpty()
                            && !unmatched.getUnmatched().get(0).startsWith("-")
                    ? "unknown command '" + unmatched.getUnmatched().get(0)
                            + "' (expected: run, routes, check or settings; see --help)"
                    : e.getMessage().lines().findFirst().orElse("bad command line") + " (see --help)";
            e.getCommandLine().getErr().println("sluice: " + message);
            e.getCommandLine().getErr().flush();
            return 2;
        });
        return commandLine.execute(rest.toArray(String[]::new));
    }

    /** No command: {@code run}. */
    @Override
    public Integer call() {
        return new RunCommand().call();
    }
}
