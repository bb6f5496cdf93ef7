package io.sluice.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run found, filled in by the scenarios and written out by {@link Report} and {@link Chart}. */
final class Results {
    /** Series names, used in tables, the chart and the ratios. */
    static final String SLUICE_EMBEDDED = "Sluice, embedded";

    static final String ECHO = "Echo baseline (bare Jetty)";
    static final String SLUICE_KAFKA = "Sluice, Kafka";
    static final String PRODUCER = "Kafka producer alone";
    static final String KAFKA_END_TO_END = "Kafka producer → consumer";
    static final String SLUICE_REDIS = "Sluice, Redis, 1 gateway";
    static final String SLUICE_REDIS_3 = "Sluice, Redis, 3 gateways";
    static final String REDIS_BARE = "Redis alone (same commands)";

    final BenchOptions options;
    final Map<String, String> environment = new LinkedHashMap<>();
    final List<MessageBench.Step> steps = new ArrayList<>();
    final Map<String, String> skipped = new LinkedHashMap<>();
    final Map<String, Profile> profiles = new LinkedHashMap<>();
    final List<PreKeyBench.Result> preKeys = new ArrayList<>();
    ConnectionBench.Result connections;
    ClusterConnectionsScenario.Result clusterConnections;
    ColdStartBench.Result coldStart;
    final List<String> notes = new ArrayList<>();

    /** A JFR profile of a server at one step, and where the recording is. */
    record Profile(String what, double offeredRate, MessageBench.Step step, JfrSummary summary, String file) {}

    Results(BenchOptions options) {
        this.options = options;
    }

    /** A scenario that cannot run here: the results say why, and so does the console now. */
    void skip(String what, String why) {
        skipped.put(what, why);
        System.out.println(what + ": skipped: " + why);
    }

    List<MessageBench.Step> series(String name, int size) {
        return steps.stream()
                .filter(s -> s.series().equals(name) && s.size() == size)
                .toList();
    }
}
