package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.routefiles.RouteValidator;
import io.sluice.gateway.routefiles.ValidatedRoutes;
import io.sluice.gateway.settings.SettingsSources;
import io.sluice.spi.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file the project ships (routes/ and examples/) passes the gateway's start-up validation, with
 * the settings the example ships beside it (a sluice.yaml) if any: a broken example fails the build.
 */
class ShippedRouteFilesTest {

    static Stream<Path> shippedRouteFiles() throws IOException {
        Path root = Examples.root();
        Stream<Path> maintained = list(root.resolve("routes")).filter(ShippedRouteFilesTest::isRouteFile);
        Stream<Path> examples = list(root.resolve("examples"))
                .filter(Files::isDirectory)
                .flatMap(ShippedRouteFilesTest::list)
                .filter(ShippedRouteFilesTest::isRouteFile);
        return Stream.concat(maintained, examples).sorted();
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Route files: YAML and XML, except Maven's pom.xml and an example's own settings (sluice.yaml). */
    private static boolean isRouteFile(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path)
                && !name.equals("pom.xml")
                && !name.startsWith("sluice.")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".xml"));
    }

    /** The example's own settings file when it ships one, else none (every placeholder then needs a default). */
    private static Settings settingsFor(Path routeFile) {
        Path config = routeFile.resolveSibling("sluice.yaml");
        if (!routeFile.getParent().getFileName().toString().equals("routes") && Files.isRegularFile(config)) {
            Properties system = new Properties();
            system.setProperty("sluice.config", config.toString());
            return SettingsSources.load(system, Map.of(), routeFile.getParent());
        }
        return Settings.of(Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedRouteFiles")
    void passesStartUpValidation(Path routeFile) {
        ValidatedRoutes routes = RouteValidator.validate(settingsFor(routeFile), List.of(routeFile.toString()));

        assertThat(routes.routes()).isNotEmpty();
    }

    @Test
    void findsTheShippedFiles() throws IOException {
        assertThat(shippedRouteFiles())
                .extracting(p -> Examples.root().relativize(p).toString().replace('\\', '/'))
                .contains(
                        "routes/embedded.yaml",
                        "examples/rabbitmq/routes.yaml",
                        "examples/nats/routes.yaml",
                        "examples/mqtt/routes.yaml",
                        "examples/audit-fanout/routes.yaml");
    }

    /** A kamelet is only built, and so checked, when a route uses it. */
    @Test
    void everyShippedKameletIsUsedByAnExample() throws IOException {
        Set<String> kamelets = new TreeSet<>();
        list(Examples.root().resolve("gateway/src/main/resources/kamelets"))
                .map(p -> p.getFileName().toString().replace(".kamelet.yaml", ""))
                .forEach(kamelets::add);
        StringBuilder examples = new StringBuilder();
        for (Path file : shippedRouteFiles().toList()) {
            examples.append(Files.readString(file));
        }

        assertThat(kamelets).isNotEmpty().allSatisfy(k -> assertThat(examples).contains("kamelet:" + k));
    }
}
