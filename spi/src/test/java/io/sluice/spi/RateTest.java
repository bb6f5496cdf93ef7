package io.sluice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateTest {
    @Test
    void readsCountPerPeriod() {
        assertThat(Rate.parse("k", "20/1m")).isEqualTo(new Rate(20, Duration.ofMinutes(1)));
        assertThat(Rate.parse("k", "100 / 1s")).isEqualTo(new Rate(100, Duration.ofSeconds(1)));
        assertThat(Rate.parse("k", "3/500ms")).isEqualTo(new Rate(3, Duration.ofMillis(500)));
        assertThat(Rate.parse("k", "OFF").isOff()).isTrue();
    }

    @Test
    void printsAsWritten() {
        assertThat(new Rate(20, Duration.ofMinutes(1))).hasToString("20/1m");
        assertThat(new Rate(3, Duration.ofMillis(500))).hasToString("3/500ms");
        assertThat(Rate.OFF).hasToString("off");
    }

    @Test
    void rejectsAnythingElseInOneLineNamingTheSetting() {
        for (String bad : new String[] {"20", "0/1m", "20/0s", "20/m", "twenty/1m", "20/1w"}) {
            assertThatThrownBy(() -> Rate.setting(
                            Settings.of(Map.of("sluice.limits.requests", bad)), "sluice.limits.requests", Rate.OFF))
                    .hasMessage(
                            "sluice.limits.requests: '" + bad + "' (expected: a rate such as 100/1s or 20/1m, or off)");
        }
    }

    @Test
    void defaultsWhenNotGiven() {
        Rate fallback = new Rate(1, Duration.ofHours(1));
        assertThat(Rate.setting(Settings.of(Map.of()), "sluice.limits.requests", fallback))
                .isSameAs(fallback);
    }
}
