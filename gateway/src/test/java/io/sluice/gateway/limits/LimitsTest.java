package io.sluice.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Enqueued;
import io.sluice.spi.ErrorName;
import io.sluice.spi.QueueQuota;
import io.sluice.spi.Rate;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import io.sluice.spi.SluiceException;
import io.sluice.spi.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each limit triggers, is reported once per refusal, and recovers, on a fake clock. */
class LimitsTest {
    private final FakeClock clock = new FakeClock();
    private final List<Limit> rejected = Collections.synchronizedList(new ArrayList<>());
    private final Limits limits = limits(new LimitsSettings(
            2,
            new Rate(3, Duration.ofSeconds(1)),
            new Rate(2, Duration.ofMinutes(1)),
            new Rate(4, Duration.ofMinutes(1)),
            new Rate(2, Duration.ofMinutes(1)),
            3,
            100,
            "local"));

    private Limits limits(LimitsSettings config) {
        return Limits.of(config, new LocalRateLimiters(clock), clock, rejected::add);
    }

    private static UserId user(int n) {
        byte[] id = new byte[UserId.LENGTH];
        id[0] = 5;
        id[1] = (byte) n;
        id[2] = (byte) (n >> 8);
        return UserId.of(id);
    }

    /** "ok", "unauthorized" (checked and bad) or the refusal's error name (unchecked). */
    private static String login(Limits limits, String ip, UserId as, boolean good) {
        try {
            return limits.checkLogin(ip, as, () -> good).toCompletableFuture().join() ? "ok" : "unauthorized";
        } catch (CompletionException e) {
            return ((SluiceException) e.getCause()).errorName().wireName();
        }
    }

    private static boolean now(java.util.concurrent.CompletionStage<Boolean> stage) {
        return stage.toCompletableFuture().join();
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
        assertThat(now(limits.tryPreKeyRequest(user(1)))).isTrue();
        assertThat(now(limits.tryPreKeyRequest(user(1)))).isTrue();
        assertThat(now(limits.tryPreKeyRequest(user(1)))).isFalse();
        assertThat(now(limits.tryPreKeyRequest(user(2)))).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(now(limits.tryPreKeyRequest(user(1)))).isTrue();
        assertThat(rejected).containsExactly(Limit.PREKEY_REQUESTS);
    }

    @Test
    void failedLoginsFromAnIpAreRefusedUncheckedOnceItsBudgetIsSpentAndRecover() {
        for (int i = 0; i < 4; i++) {
            assertThat(login(limits, "10.0.0.1", user(i), false)).isEqualTo("unauthorized");
        }
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> limits.checkLogin("10.0.0.1", user(99), () -> checks.incrementAndGet() > 0)
                        .toCompletableFuture()
                        .join())
                .hasCauseInstanceOf(SluiceException.class);
        assertThat(checks).as("refused unchecked").hasValue(0);
        assertThat(login(limits, "10.0.0.2", user(99), true)).as("another IP").isEqualTo("ok");
        clock.advance(Duration.ofSeconds(15));
        assertThat(login(limits, "10.0.0.1", user(99), true)).isEqualTo("ok");
        assertThat(rejected).containsExactly(Limit.FAILED_LOGINS);
    }

    @Test
    void failedLoginsAsOneUserAreLimitedPerIpSoAnAttackerElsewhereCannotLockThatUserOut() {
        UserId alice = user(1);
        assertThat(login(limits, "10.0.0.66", alice, false)).isEqualTo("unauthorized");
        assertThat(login(limits, "10.0.0.66", alice, false)).isEqualTo("unauthorized");
        assertThat(login(limits, "10.0.0.66", alice, true)).isEqualTo("rate_limited");
        assertThat(login(limits, "10.0.0.66", user(2), true))
                .as("another user from the attacker's IP")
                .isEqualTo("ok");
        assertThat(login(limits, "10.0.0.1", alice, true))
                .as("Alice from her own IP")
                .isEqualTo("ok");
        assertThat(rejected).containsExactly(Limit.FAILED_LOGINS_PER_USER);
    }

    @Test
    void goodLoginsCostNothingEvenWithFailuresBetweenThem() {
        for (int i = 0; i < 100; i++) {
            assertThat(login(limits, "10.0.0.1", user(1), true)).isEqualTo("ok");
        }
        assertThat(login(limits, "10.0.0.1", user(2), false)).isEqualTo("unauthorized");
        for (int i = 0; i < 100; i++) {
            assertThat(login(limits, "10.0.0.1", user(1), true)).isEqualTo("ok");
        }
        assertThat(rejected).isEmpty();
    }

    /**
     * Issue 12.3: with a check of the bucket before the login and a take after its failure, 200 concurrent bad
     * logins all saw a token and were all checked. The token is now taken before the check.
     */
    @Test
    void concurrentBadLoginsAreCheckedNoMoreThanTheLimitEvenWhileEveryCheckIsInProgress() throws Exception {
        Limits tight = limits(new LimitsSettings(
                0,
                Rate.OFF,
                Rate.OFF,
                new Rate(10, Duration.ofHours(1)),
                new Rate(10, Duration.ofHours(1)),
                0,
                0,
                "local"));
        AtomicInteger checked = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> logins = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<CompletableFuture<CompletableFuture<Boolean>>> started = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                UserId as = user(i);
                started.add(CompletableFuture.supplyAsync(
                        () -> tight.checkLogin("10.0.0.1", as, () -> {
                                    checked.incrementAndGet();
                                    try {
                                        // Every check in progress at once, as on a busy server.
                                        release.await(50, TimeUnit.MILLISECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    return false;
                                })
                                .toCompletableFuture(),
                        threads));
            }
            for (var s : started) {
                logins.add(s.get(30, TimeUnit.SECONDS));
            }
            release.countDown();
        }
        long unauthorized = logins.stream()
                .filter(l -> !l.isCompletedExceptionally() && !l.join())
                .count();
        assertThat(checked).hasValue(10);
        assertThat(unauthorized).isEqualTo(10);
        assertThat(rejected).hasSize(190).containsOnly(Limit.FAILED_LOGINS);
    }

    /**
     * Issue 12.3 with the default limits: an attacker behind the user's address spends its failed-login budget, then
     * fails one login every 5 s; the user, logging in 20 times in between, is let in every time.
     */
    @Test
    void withTheDefaultsALegitimateUserBehindAnAttackersIpIsLetInEveryTime() {
        Limits defaults = limits(LimitsSettings.from(Settings.of(Map.of()), 10));
        int burst = 0;
        while (login(defaults, "10.0.0.1", user(1000 + burst), false).equals("unauthorized")) {
            burst++;
        }
        assertThat(burst).as("the per-IP budget").isEqualTo(100);
        UserId alice = user(1);
        int admitted = 0;
        for (int round = 0; round < 20; round++) {
            clock.advance(Duration.ofMillis(2500));
            if (login(defaults, "10.0.0.1", alice, true).equals("ok")) {
                admitted++;
            }
            clock.advance(Duration.ofMillis(2500));
            login(defaults, "10.0.0.1", user(2000 + round), false);
        }
        assertThat(admitted).isEqualTo(20);
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
    void noneLetsEverythingThrough() {
        Limits none = Limits.none();
        Limits.Requests connection = none.newConnection();
        for (int i = 0; i < 10_000; i++) {
            assertThat(connection.tryRequest()).isTrue();
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(login(none, "10.0.0.1", user(1), false)).isEqualTo("unauthorized");
            assertThat(now(none.tryPreKeyRequest(user(1)))).isTrue();
        }
        assertThat(none.queueQuota()).isEqualTo(QueueQuota.NONE);
    }

    @Test
    void settingsHaveDefaultsAndCanTurnEachLimitOff() {
        LimitsSettings defaults = LimitsSettings.from(Settings.of(Map.of()), 10);
        assertThat(defaults)
                .isEqualTo(new LimitsSettings(
                        1000,
                        new Rate(1000, Duration.ofSeconds(1)),
                        new Rate(10, Duration.ofMinutes(1)),
                        new Rate(100, Duration.ofMinutes(1)),
                        new Rate(10, Duration.ofMinutes(1)),
                        10_000,
                        100L * 1024 * 1024,
                        "local"));
        Map<String, String> off = new HashMap<>();
        off.put("sluice.limits.connections-per-ip", "0");
        off.put("sluice.limits.requests", "off");
        off.put("sluice.limits.prekey-requests", "off");
        off.put("sluice.limits.failed-logins", "off");
        off.put("sluice.limits.failed-logins-per-user", "off");
        off.put("sluice.limits.queue-messages", "0");
        off.put("sluice.limits.queue-bytes", "off");
        assertThat(LimitsSettings.from(Settings.of(off), 10)).isEqualTo(LimitsSettings.NONE);
    }

    @Test
    void theDefaultPreKeyBurstFollowsTheLowThreshold() {
        assertThat(LimitsSettings.from(Settings.of(Map.of()), 25).preKeyRequests())
                .isEqualTo(new Rate(25, Duration.ofMinutes(1)));
        assertThat(LimitsSettings.from(Settings.of(Map.of()), 0).preKeyRequests())
                .as("at least one request")
                .isEqualTo(new Rate(1, Duration.ofMinutes(1)));
    }

    @Test
    void aPreKeyBurstLargerThanTheLowThresholdIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LimitsSettings.from(Settings.of(Map.of("sluice.limits.prekey-requests", "60/1m")), 10))
                .isInstanceOf(SettingException.class)
                .hasMessage("sluice.limits.prekey-requests: '60/1m' (expected: a burst of at most"
                        + " sluice.prekeys.low-threshold (10), such as 10/1m, so that one burst cannot empty a"
                        + " device's one-time prekeys; or off)");
        assertThat(LimitsSettings.from(Settings.of(Map.of("sluice.limits.prekey-requests", "10/10s")), 10)
                        .preKeyRequests())
                .isEqualTo(new Rate(10, Duration.ofSeconds(10)));
    }
}
