package io.sluice.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.Rate;
import io.sluice.spi.Settings;
import io.sluice.spi.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each limit triggers, is reported once per refusal, and recovers, on a fake clock. */
class LimitsTest {
    private final FakeClock clock = new FakeClock();
    private final List<Limit> rejected = new ArrayList<>();
    private final Limits limits = Limits.of(
            new LimitsSettings(
                    2,
                    new Rate(3, Duration.ofSeconds(1)),
                    new Rate(2, Duration.ofMinutes(1)),
                    new Rate(2, Duration.ofMinutes(1)),
                    3,
                    100),
            clock,
            rejected::add);

    private static UserId user(int n) {
        byte[] id = new byte[UserId.LENGTH];
        id[0] = 5;
        id[1] = (byte) n;
        return UserId.of(id);
    }

    @Test
    void connectionsPerIpTriggerAndRecoverWhenOneCloses() {
        assertThat(limits.tryOpenConnection("10.0.0.1")).isTrue();
        assertThat(limits.tryOpenConnection("10.0.0.1")).isTrue();
        assertThat(limits.tryOpenConnection("10.0.0.1")).isFalse();
        assertThat(limits.tryOpenConnection("10.0.0.2"))
                .as("another IP has its own count")
                .isTrue();
        limits.connectionClosed("10.0.0.1");
        assertThat(limits.tryOpenConnection("10.0.0.1")).isTrue();
        assertThat(rejected).containsExactly(Limit.CONNECTIONS_PER_IP);
    }

    @Test
    void requestsPerConnectionTriggerAndRecoverAfterTheRefill() {
        Limits.Requests connection = limits.newConnection();
        Limits.Requests other = limits.newConnection();
        for (int i = 0; i < 3; i++) {
            assertThat(connection.tryRequest()).isTrue();
        }
        assertThat(connection.tryRequest()).isFalse();
        assertThat(other.tryRequest()).as("each connection has its own budget").isTrue();
        clock.advance(Duration.ofMillis(334));
        assertThat(connection.tryRequest()).isTrue();
        assertThat(rejected).containsExactly(Limit.REQUESTS);
    }

    @Test
    void preKeyRequestsArePerRequestedUserWhoeverAsks() {
        assertThat(limits.tryPreKeyRequest(user(1))).isTrue();
        assertThat(limits.tryPreKeyRequest(user(1))).isTrue();
        assertThat(limits.tryPreKeyRequest(user(1))).isFalse();
        assertThat(limits.tryPreKeyRequest(user(2))).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limits.tryPreKeyRequest(user(1))).isTrue();
        assertThat(rejected).containsExactly(Limit.PREKEY_REQUESTS);
    }

    @Test
    void failedLoginsBlockFurtherLoginsFromThatIpUntilTheyRefill() {
        assertThat(limits.tryLogin("10.0.0.1")).isTrue();
        limits.loginFailed("10.0.0.1");
        limits.loginFailed("10.0.0.1");
        assertThat(limits.tryLogin("10.0.0.1")).isFalse();
        assertThat(limits.tryLogin("10.0.0.2")).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limits.tryLogin("10.0.0.1")).isTrue();
        assertThat(rejected).containsExactly(Limit.FAILED_LOGINS);
    }

    @Test
    void successfulLoginsCostNothing() {
        for (int i = 0; i < 100; i++) {
            assertThat(limits.tryLogin("10.0.0.1")).isTrue();
        }
    }

    @Test
    void queueQuotaIsTheConfiguredCountAndBytesAndRefusalsAreRateLimited() {
        assertThat(limits.queueQuota()).isEqualTo(new QueueQuota(3, 100));
        assertThat(limits.queueRefusal(Enqueued.Outcome.QUEUED)).isNull();
        assertThat(limits.queueRefusal(Enqueued.Outcome.DUPLICATE)).isNull();
        assertThat(limits.queueRefusal(Enqueued.Outcome.REFUSED_MESSAGES_QUOTA)).satisfies(e -> {
            assertThat(e.errorName()).isEqualTo(ErrorName.RATE_LIMITED);
            assertThat(e.description()).isEqualTo("the recipient's queue is full (at most 3 messages); retry later");
        });
        assertThat(limits.queueRefusal(Enqueued.Outcome.REFUSED_BYTES_QUOTA).errorName())
                .isEqualTo(ErrorName.RATE_LIMITED);
        assertThat(rejected).containsExactly(Limit.QUEUE_MESSAGES, Limit.QUEUE_BYTES);
    }

    @Test
    void sweepForgetsOnlyBucketsThatRefilled() {
        limits.tryPreKeyRequest(user(1));
        limits.sweep();
        assertThat(limits.tryPreKeyRequest(user(1))).isTrue();
        assertThat(limits.tryPreKeyRequest(user(1)))
                .as("the bucket was remembered")
                .isFalse();
        clock.advance(Duration.ofMinutes(1));
        limits.sweep();
        assertThat(limits.tryPreKeyRequest(user(1))).isTrue();
    }

    @Test
    void noneLetsEverythingThrough() {
        Limits none = Limits.none();
        Limits.Requests connection = none.newConnection();
        for (int i = 0; i < 10_000; i++) {
            assertThat(connection.tryRequest()).isTrue();
        }
        assertThat(none.queueQuota()).isEqualTo(QueueQuota.NONE);
    }

    @Test
    void settingsHaveDefaultsAndCanTurnEachLimitOff() {
        LimitsSettings defaults = LimitsSettings.from(Settings.of(Map.of()));
        assertThat(defaults)
                .isEqualTo(new LimitsSettings(
                        1000,
                        new Rate(1000, Duration.ofSeconds(1)),
                        new Rate(60, Duration.ofMinutes(1)),
                        new Rate(10, Duration.ofMinutes(1)),
                        10_000,
                        100L * 1024 * 1024));
        LimitsSettings off = LimitsSettings.from(Settings.of(Map.of(
                "sluice.limits.connections-per-ip",
                "0",
                "sluice.limits.requests",
                "off",
                "sluice.limits.prekey-requests",
                "off",
                "sluice.limits.failed-logins",
                "off",
                "sluice.limits.queue-messages",
                "0",
                "sluice.limits.queue-bytes",
                "off")));
        assertThat(off).isEqualTo(LimitsSettings.NONE);
    }
}
