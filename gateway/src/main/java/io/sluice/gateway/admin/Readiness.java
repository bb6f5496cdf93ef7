package io.sluice.gateway.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code /readyz} checks: each check names itself and says whether it is up, with a short detail. The
 * gateway is ready when every check is up.
 *
 * <pre>{@code
 * Readiness readiness = Readiness.of(List.of(() -> Readiness.Check.up("queue")));
 * }</pre>
 */
public final class Readiness {
    /** One check's outcome. */
    public record Check(String name, boolean up, String detail) {
        /** An up check. */
        public static Check up(String name) {
            return new Check(name, true, "");
        }

        /** A down check and why. */
        public static Check down(String name, String why) {
            return new Check(name, false, why);
        }
    }

    private final List<Supplier<List<Check>>> checks;

    private Readiness(List<Supplier<List<Check>>> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Readiness made of these checks; a check that throws counts as down. */
    public static Readiness of(List<Supplier<List<Check>>> checks) {
        return new Readiness(checks);
    }

    /** Runs every check. */
    public List<Check> run() {
        List<Check> results = new ArrayList<>();
        for (Supplier<List<Check>> check : checks) {
            try {
                results.addAll(check.get());
            } catch (RuntimeException e) {
                results.add(Check.down("check", e.toString()));
            }
        }
        return results;
    }

    /** Whether every check is up. */
    public static boolean allUp(List<Check> results) {
        return results.stream().allMatch(Check::up);
    }
}
