package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/** What the built gateway jar ships. */
final class GatewayJar {
    private GatewayJar() {}

    static boolean contains(Path jar, String entry) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(entry) != null;
        }
    }

    /** The bytes of {@code entry}; fails when the jar has none. */
    static byte[] read(Path jar, String entry) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            var found = file.getEntry(entry);
            if (found == null) {
                throw new IOException(jar + " has no " + entry);
            }
            try (var in = file.getInputStream(found)) {
                return in.readAllBytes();
            }
        }
    }
}
