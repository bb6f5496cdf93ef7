package io.sluice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {
    private static final Setting<Duration> GRACE = Setting.duration("sluice.test.grace", "10s", "a grace");
    private static final Setting<Integer> COUNT = Setting.integer("sluice.test.count", 5, 1, 10, "a count");

    @Test
    void aSettingNotGivenHasItsDeclaredDefault() {
        assertThat(GRACE.get(Settings.of(Map.of()))).isEqualTo(Duration.ofSeconds(10));
        assertThat(GRACE.defaultText()).contains("10s");
        assertThat(GRACE.find(Settings.of(Map.of()))).isEmpty();
    }

    @Test
    void aGivenValueIsTrimmedAndParsed() {
        assertThat(GRACE.get(Settings.of(Map.of("sluice.test.grace", " 250ms "))))
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void anUnusableValueNamesTheKey() {
        assertThatThrownBy(() -> COUNT.get(Settings.of(Map.of("sluice.test.count", "11"))))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.test.count: '11' (expected: an integer from 1 to 10)");
    }

    @Test
    void aDefaultThatDoesNotParseIsRefusedWhenDeclared() {
        assertThatThrownBy(() -> Setting.duration("sluice.test.bad", "soon", "bad"))
                .isInstanceOf(SettingException.class)
                .hasMessageStartingWith("sluice.test.bad: 'soon'");
    }

    @Test
    void keysOutsideSluiceAreRefusedWhenDeclared() {
        assertThatThrownBy(() -> Setting.string("port", "1", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDerivedDefaultIsDescribedAndLeftToTheRecord() {
        Setting<Duration> idle =
                Setting.duration("sluice.test.idle", null, "idle").defaultFrom("3 × ping");
        assertThat(idle.get(Settings.of(Map.of()))).isNull();
        assertThat(idle.defaultDescription()).isEqualTo("3 × ping");
        assertThat(idle.defaultText()).isEmpty();
    }

    @Test
    void secretIsKeptThroughCopies() {
        Setting<String> password =
                Setting.string("sluice.test.password", null, "p").secret();
        assertThat(password.isSecret()).isTrue();
        assertThat(password.defaultFrom("x").isSecret()).isTrue();
    }

    @Test
    void passThroughCoversKeysUnderItsPrefixOnly() {
        Setting<Map<String, String>> producer = Setting.passThrough("sluice.test.producer.", "to the producer");
        Settings settings = Settings.of(Map.of(
                "sluice.test.producer.linger.ms", " 5 ",
                "sluice.test.producer-timeout", "1s"));

        assertThat(producer.values(settings)).containsExactly(Map.entry("linger.ms", "5"));
        assertThat(producer.covers("sluice.test.producer.acks")).isTrue();
        assertThat(producer.covers("sluice.test.producer-timeout")).isFalse();
        assertThat(producer.covers("sluice.test.producer.")).isFalse();
        assertThatThrownBy(() -> producer.get(settings)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRateSettingReadsOff() {
        Setting<Rate> rate = Setting.rate("sluice.test.rate", "10/1m", "r");
        assertThat(rate.get(Settings.of(Map.of("sluice.test.rate", "off")))).isEqualTo(Rate.OFF);
        assertThat(rate.get(Settings.of(Map.of()))).isEqualTo(new Rate(10, Duration.ofMinutes(1)));
    }
}
