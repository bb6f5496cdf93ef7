package io.sluice.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Where the shipped route files are, seen from this module (examples/). */
final class Examples {
    private Examples() {}

    /** The repository's top folder. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("routes")) && Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no routes/ and examples/ above " + Path.of("").toAbsolutePath());
    }

    /** An example's route file: {@code examples/<name>/routes.yaml}. */
    static Path routes(String example) {
        return root().resolve("examples").resolve(example).resolve("routes.yaml");
    }

    /** A short random suffix that keeps one test run's names on a shared broker apart from every other's. */
    static String uniqueSuffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
