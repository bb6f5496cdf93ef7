package io.sluice.gateway.routefiles;

/**
 * A route file the gateway will not run. Its message is one line naming the file and the problem, fit to be
 * printed as it is: {@code routes/my.yaml: no route consumes sluice:outbound (clients send sealed messages there)}.
 */
public class RouteFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    public RouteFileException(String file, String problem) {
        this(file, problem, null);
    }

    public RouteFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The route file at fault, as the user named it (or several, comma-separated, for a missing route). */
    public String file() {
        return file;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
