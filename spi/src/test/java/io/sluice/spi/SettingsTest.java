package io.sluice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    private static Settings of(String key, String value) {
        return Settings.of(Map.of(key, value));
    }

    @ParameterizedTest
    @CsvSource({"300ms,300", "30s,30000", "5m,300000", "1h,3600000", "2d,172800000", "250,250"})
    void durationsTakeUnits(String text, long millis) {
        assertThat(of("k", text).duration("k", Duration.ZERO)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"0s", "-5s", "5 minutes", "m", "''"})
    void badDurationsNameTheKey(String text) {
        assertThatThrownBy(() -> of("sluice.x", text).duration("sluice.x", Duration.ZERO))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.x: '" + text + "' (expected: a positive duration such as 300ms, 30s, 5m or 1h)");
    }

    @ParameterizedTest
    @CsvSource({"1MiB,1048576", "64KiB,65536", "64kb,65536", "512,512", "2M,2097152"})
    void sizesTakeUnits(String text, long bytes) {
        assertThat(of("k", text).bytes("k", 1, Long.MAX_VALUE)).isEqualTo(bytes);
    }

    @Test
    void integersAreRangeChecked() {
        assertThat(of("p", "8080").integer("p", 1, 0, 65535)).isEqualTo(8080);
        assertThatThrownBy(() -> of("sluice.port", "70000").integer("sluice.port", 1, 0, 65535))
                .hasMessage("sluice.port: '70000' (expected: an integer from 0 to 65535)");
    }

    @Test
    void missingValuesTakeTheDefault() {
        Settings none = Settings.of(Map.of());
        assertThat(none.integer("a", 7, 0, 10)).isEqualTo(7);
        assertThat(none.bool("b", true)).isTrue();
        assertThat(none.list("c", java.util.List.of("x"))).containsExactly("x");
    }

    @Test
    void userIdsAreValidated() {
        assertThatThrownBy(() -> UserId.of(new byte[33]))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorName()).isEqualTo(ErrorName.INVALID_USER_ID));
        byte[] ok = new byte[33];
        ok[0] = 5;
        UserId id = UserId.of(ok);
        assertThat(UserId.parse(id.toString())).isEqualTo(id);
        assertThat(Address.parse(new Address(id, -1).toString())).isEqualTo(new Address(id, -1));
    }
}
