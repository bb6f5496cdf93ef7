package io.sluice.faults;

import java.util.Map;

/** Kill -9 loops on the embedded default (RocksDB queue and prekey store). */
class EmbeddedKillLoopIT extends KillLoopScenario {
    @Override
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    protected String name() {
        return "embedded";
    }
}
