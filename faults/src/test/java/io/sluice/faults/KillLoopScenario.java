package io.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway jar killed with SIGKILL again and again under load, every message counted (see {@link Ledger}): 0 acked
 * messages lost, 0 out of order, and the load flowing again within {@link FaultRun#RECOVERY} of each restart. A
 * backend proves itself by extending this class with its settings, and its own faults between kills if it has any:
 *
 * <pre>{@code
 * class RedisKillLoopIT extends KillLoopScenario {
 *     protected Map<String, String> settings() {
 *         return Map.of("sluice.queue.type", "redis", "sluice.redis.uri", REDIS.uri());
 *     }
 * }
 * }</pre>
 */
abstract class KillLoopScenario {
    @TempDir
    Path dataDir;

    /** The backend's settings on top of the gateway's defaults. */
    protected abstract Map<String, String> settings();

    /** The scenario's name in the report. */
    protected abstract String name();

    /** A fault of the backend before the kill of this cycle (1-based), if any; returns what it did, for the report. */
    protected String backendFault(int cycle) throws Exception {
        return "";
    }

    @Test
    void everyAckedMessageSurvivesKill9LoopsUnderLoadInOrderAndTheLoadRecoversWithinFiveSeconds() throws Exception {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("sluice.port", Integer.toString(FaultRun.freePort()));
        settings.put("sluice.admin.port", Integer.toString(FaultRun.freePort()));
        settings.put("sluice.prekeys.check-interval", "1h");
        Ledger ledger = new Ledger();
        List<Duration> recoveries = new ArrayList<>();
        List<Duration> restarts = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        GatewayProcess gateway = GatewayProcess.start(dataDir, settings);
        try (Load load = Load.start(gateway.uri(), 4, 4, ledger)) {
            FaultRun.awaitFlowing(ledger, System.nanoTime(), Duration.ofSeconds(60));
            for (int cycle = 1; cycle <= FaultRun.cycles(); cycle++) {
                Thread.sleep(FaultRun.loadTime().toMillis()); // the load runs meanwhile
                String fault = backendFault(cycle);
                if (!fault.isEmpty()) {
                    faults.add("cycle " + cycle + ": " + fault);
                }
                long killed = System.nanoTime();
                gateway.kill9();
                assertThat(gateway.process().exitValue())
                        .as("killed, not stopped")
                        .isEqualTo(137);
                gateway.close();
                gateway = GatewayProcess.start(dataDir, settings);
                long started = System.nanoTime();
                restarts.add(Duration.ofNanos(started - killed));
                recoveries.add(FaultRun.awaitFlowing(ledger, started, Duration.ofSeconds(120)));
            }
            Thread.sleep(FaultRun.loadTime().toMillis());
            load.stopSending();
            FaultRun.awaitDelivered(ledger, Duration.ofSeconds(60));
        } finally {
            gateway.close();
        }
        Ledger.Counts counts = ledger.counts();
        FaultRun.report(name() + " kill9_cycles=" + FaultRun.cycles() + " " + counts + " restart_ms="
                + restarts.stream().map(Duration::toMillis).toList() + " recovery_ms="
                + recoveries.stream().map(Duration::toMillis).toList()
                + (faults.isEmpty() ? "" : " backend_faults=" + faults));

        assertThat(counts.acked()).as("messages acked").isPositive();
        assertThat(counts.lost()).as("acked messages lost").isZero();
        assertThat(counts.outOfOrder()).as("messages delivered out of order").isZero();
        assertThat(recoveries)
                .as("time from each restart to the load flowing again (ack and delivery)")
                .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(FaultRun.RECOVERY));
    }
}
