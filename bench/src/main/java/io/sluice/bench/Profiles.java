package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Profiles a server with JFR while it is held at the rate where it saturated. */
final class Profiles {
    private Profiles() {}

    /**
     * Runs one more step at the first saturated rate of {@code steps} (the highest rate when none saturated)
     * with a JFR recording on the server, and adds its summary to the results.
     */
    static void atSaturation(
            Results results,
            String what,
            ServerProcess server,
            MessageBench bench,
            List<MessageBench.Step> steps,
            int size,
            Duration time,
            Path file)
            throws Exception {
        if (steps.isEmpty()) {
            return;
        }
        double rate = steps.stream()
                .filter(MessageBench.Step::saturated)
                .findFirst()
                .orElse(steps.get(steps.size() - 1))
                .offered();
        System.out.printf("profile: %s at %,.0f msg/s with JFR%n", what, rate);
        Files.deleteIfExists(file);
        server.startProfile();
        MessageBench.Step step = bench.run("profile", size, rate, time);
        server.stopProfile(file);
        Report.progress(step);
        results.profiles.put(
                what,
                new Results.Profile(
                        what,
                        rate,
                        step,
                        JfrSummary.read(file, 15),
                        results.options.root().relativize(file.toAbsolutePath()).toString()));
    }
}
