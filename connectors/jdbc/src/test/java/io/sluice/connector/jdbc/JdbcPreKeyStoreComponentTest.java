package io.sluice.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.connector.support.SluiceSettings;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class JdbcPreKeyStoreComponentTest {

    @Test
    void readsTheSettingsTheGatewayBindsInTheContext() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SluiceSettings.bind(
                    context,
                    Settings.of(Map.of(
                            "sluice.jdbc.url", "jdbc:postgresql://db.example:6543/keys",
                            "sluice.jdbc.pool-size", "4")));

            Settings settings = JdbcPreKeyStoreComponent.settings(context);

            assertThat(settings.get("sluice.jdbc.url")).contains("jdbc:postgresql://db.example:6543/keys");
            assertThat(settings.get("sluice.jdbc.pool-size")).contains("4");
            assertThat(settings.get("sluice.jdbc.user")).isEmpty();
        }
    }

    @Test
    void defaultsNeedNoSettings() {
        JdbcPreKeyStoreComponent.builder(Settings.of(Map.of())); // does not throw
    }

    @Test
    void rejectsPoolSizeOfZeroNamingTheKey() {
        assertThatThrownBy(() -> JdbcPreKeyStoreComponent.builder(Settings.of(Map.of("sluice.jdbc.pool-size", "0"))))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.jdbc.pool-size: '0' (expected: an integer from 1 to 1000)");
    }

    @Test
    void rejectsUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> JdbcPreKeyStoreComponent.builder(
                        Settings.of(Map.of("sluice.jdbc.url", "jdbc:mysql://127.0.0.1/x"))))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.jdbc.url: 'jdbc:mysql://127.0.0.1/x' "
                        + "(expected: a PostgreSQL JDBC URL, jdbc:postgresql://host:port/database)");
    }

    @Test
    void rejectsTimeoutBelowAQuarterSecond() {
        assertThatThrownBy(() -> JdbcPreKeyStoreComponent.builder(Settings.of(Map.of("sluice.jdbc.timeout", "100ms"))))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.jdbc.timeout: '100ms' (expected: a duration of at least 250ms)");
    }

    @Test
    void rejectsSchemaThatIsNoPlainIdentifier() {
        assertThatThrownBy(() ->
                        JdbcPreKeyStoreComponent.builder(Settings.of(Map.of("sluice.jdbc.schema", "a; DROP TABLE x"))))
                .isInstanceOf(SettingException.class)
                .hasMessageStartingWith("sluice.jdbc.schema: 'a; DROP TABLE x'");
    }
}
