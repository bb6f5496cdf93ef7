package io.sluice.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.gateway.routefiles.RouteFileException;
import io.sluice.gateway.routefiles.RouteValidator;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Any route file: {@link RouteValidator} accepts it or refuses it with a {@link RouteFileException} (or a
 * {@link SettingException}), which start-up prints as one line naming the file (exit 2). Nothing else may escape.
 * The first byte chooses the format: even YAML, odd XML.
 */
class RouteFilesFuzzTest {
    private final Path dir;

    RouteFilesFuzzTest() throws IOException {
        dir = Files.createTempDirectory("sluice-fuzz-routes-");
        dir.toFile().deleteOnExit();
    }

    @FuzzTest
    void routeFilesValidateOrFailWithRouteFileException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Path file = dir.resolve((input[0] & 1) == 0 ? "routes.yaml" : "routes.xml");
        try {
            Files.write(file, java.util.Arrays.copyOfRange(input, 1, input.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            RouteValidator.validate(Settings.of(Map.of()), List.of(file.toString()));
        } catch (RouteFileException | SettingException expected) {
            // one line naming the file
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
