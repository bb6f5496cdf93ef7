package io.sluice.gateway.e2e;

import static io.sluice.gateway.testing.TestRoutes.PREKEY_ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.settings.SettingsSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route files and connectors read settings as placeholders, from every source the gateway reads. */
class SettingsReachRoutesIT {
    @TempDir
    Path dir;

    @Test
    void placeholdersResolveFromSystemPropertiesEnvironmentAndFile() throws Exception {
        Files.writeString(dir.resolve("sluice.yaml"), "sluice:\n  kafka:\n    brokers: from-file:9092\n");
        Properties system = new Properties();
        system.setProperty("sluice.host", "127.0.0.1");
        system.setProperty("sluice.port", "0");
        system.setProperty("sluice.data-dir", dir.resolve("data").toString());
        system.setProperty("sluice.rest.url", "http://from-system-property");
        Map<String, String> env = Map.of("SLUICE_JDBC_PASSWORD", "from-env", "SLUICE_REST_URL", "http://from-env");
        // sluice.rest.url is a setting because this route file names it: without the file it would be refused.
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, PREKEY_ROUTES + """
                - route:
                    id: outbound
                    from:
                      uri: sluice:outbound
                      steps:
                        - to: sluice:deliver
                - route:
                    id: rest-url
                    from:
                      uri: direct:rest-url
                      steps:
                        - log: "{{sluice.rest.url}}"
                """);
        system.setProperty("sluice.routes", routes.toString());

        try (Gateway gateway = Gateway.start(SettingsSources.load(system, env, dir))) {
            assertThat(gateway.camel().resolvePropertyPlaceholders("{{sluice.jdbc.password}}"))
                    .isEqualTo("from-env");
            assertThat(gateway.camel().resolvePropertyPlaceholders("{{sluice.rest.url}}"))
                    .isEqualTo("http://from-system-property");
            assertThat(gateway.camel().resolvePropertyPlaceholders("{{sluice.kafka.brokers}}"))
                    .isEqualTo("from-file:9092");
            assertThat(gateway.camel().resolvePropertyPlaceholders("{{sluice.missing:fallback}}"))
                    .isEqualTo("fallback");
        }
    }
}
