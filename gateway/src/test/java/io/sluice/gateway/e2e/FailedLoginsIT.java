package io.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sluice.client.Identity;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceError;
import io.sluice.gateway.limits.LimitsSettings;
import io.sluice.gateway.testing.GatewayExtension;
import io.sluice.proto.Messages;
import io.sluice.spi.Rate;
import io.sluice.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failed-login limits of issue 12.3 over real sockets: concurrency cannot overrun them, and an attacker behind
 * the same address as a legitimate user does not lock that user out.
 */
class FailedLoginsIT {
    /** Time in {@link #neighbours} runs this much faster than in production: 5 s become 250 ms. */
    private static final int SPEED_UP = 20;

    private static final LimitsSettings DEFAULTS = LimitsSettings.from(Settings.of(Map.of()), 10);

    /** Each limit on a gateway of its own: the per-user test's failures would spend the per-IP budget. */
    @RegisterExtension
    static final GatewayExtension PER_IP = GatewayExtension.withSettings(Map.of(
            "sluice.limits.failed-logins", "10/1h",
            "sluice.limits.failed-logins-per-user", "off",
            "sluice.prekeys.check-interval", "1h"));

    @RegisterExtension
    static final GatewayExtension PER_USER = GatewayExtension.withSettings(Map.of(
            "sluice.limits.failed-logins", "off",
            "sluice.limits.failed-logins-per-user", "3/1h",
            "sluice.prekeys.check-interval", "1h"));

    /** The default failed-login limits, with every period divided by {@link #SPEED_UP}. */
    @RegisterExtension
    static final GatewayExtension NEIGHBOURS = GatewayExtension.withSettings(Map.of(
            "sluice.limits.failed-logins", faster(DEFAULTS.failedLogins()),
            "sluice.limits.failed-logins-per-user", faster(DEFAULTS.failedLoginsPerUser()),
            "sluice.prekeys.check-interval", "1h"));

    private static String faster(Rate rate) {
        return rate.count() + "/" + rate.period().toMillis() / SPEED_UP + "ms";
    }

    /** A login as {@code as}, signed by someone else: it fails when checked. */
    private static CompletableFuture<Void> badLogin(SluiceClient client, Identity as) {
        byte[] login = Messages.Login.newBuilder()
                .setAddress(Messages.Address.newBuilder()
                        .setUserID(ByteString.copyFrom(as.userId()))
                        .setDeviceID(1))
                .setNonce(ByteString.copyFrom(client.nonce()))
                .build()
                .toByteArray();
        return client.authenticate(login, Identity.generate().sign(login));
    }

    private static String outcome(CompletableFuture<Void> login) {
        try {
            login.get(30, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SluiceError.class);
            return ((SluiceError) e.getCause()).name();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> concurrentBadLogins(GatewayExtension gateway, int count, Identity as) throws Exception {
        List<SluiceClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(gateway.connect());
        }
        // Every login on the wire before any answer: the server sees them all at once.
        List<CompletableFuture<Void>> logins = new ArrayList<>();
        for (SluiceClient client : clients) {
            logins.add(badLogin(client, as == null ? Identity.generate() : as));
        }
        return logins.stream().map(FailedLoginsIT::outcome).toList();
    }

    @Test
    void twoHundredConcurrentBadLoginsFromOneIpCheckNoMoreThanThePerIpLimit() throws Exception {
        List<String> outcomes = concurrentBadLogins(PER_IP, 200, null);

        assertThat(outcomes).containsOnly("unauthorized", "rate_limited");
        assertThat(outcomes.stream().filter("unauthorized"::equals).count())
                .as("bad logins checked (answered unauthorized), against a limit of 10 per IP")
                .isEqualTo(10);
    }

    @Test
    void concurrentBadLoginsAsOneUserCheckNoMoreThanThePerUserLimit() throws Exception {
        Identity alice = Identity.generate();
        List<String> outcomes = concurrentBadLogins(PER_USER, 50, alice);

        assertThat(outcomes.stream().filter("unauthorized"::equals).count())
                .as("bad logins as one user checked, against a limit of 3 per user")
                .isEqualTo(3);
        // Another user at the same address is not held back by the limit of Alice's failures.
        SluiceClient bob = PER_USER.connect();
        assertThat(outcome(bob.login(Identity.generate(), 1))).isEqualTo("ok");
    }

    /**
     * Issue 12.3: an attacker who empties the address's failed-login budget and then fails one login every 5 s
     * (250 ms here) let the legitimate user behind the same address in only 4 times out of 20.
     */
    @Test
    void legitimateUserBehindTheSameIpLogsInWhileAnAttackerFailsEveryFiveSeconds() throws Exception {
        // The attacker's opening burst: bad logins until the address's budget is spent.
        for (int i = 0; i < 1000; i++) {
            if (outcome(badLogin(NEIGHBOURS.connect(), Identity.generate())).equals("rate_limited")) {
                break;
            }
        }
        Identity alice = Identity.generate();
        Duration every = Duration.ofSeconds(5).dividedBy(SPEED_UP);
        int admitted = 0;
        for (int round = 0; round < 20; round++) {
            long start = System.nanoTime();
            badLogin(NEIGHBOURS.connect(), Identity.generate());
            Thread.sleep(every.toMillis() / 2);
            SluiceClient client = NEIGHBOURS.connect();
            if (outcome(client.login(alice, 1)).equals("ok")) {
                admitted++;
            }
            client.close();
            Thread.sleep(Math.max(0, every.toMillis() - (System.nanoTime() - start) / 1_000_000));
        }
        assertThat(admitted).as("logins of the legitimate user admitted, of 20").isEqualTo(20);
    }
}
