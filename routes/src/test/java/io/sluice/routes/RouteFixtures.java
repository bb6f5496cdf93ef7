package io.sluice.routes;

import io.sluice.gateway.Gateway;
import io.sluice.spi.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Shared bits of the route ITs: where the shipped route files are, and a gateway over one of them. */
final class RouteFixtures {
    private RouteFixtures() {}

    /** A shipped route file, by name, from the folder this module's pom lives in. */
    static String routeFile(String name) {
        Path file = Path.of(name).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no route file " + file + " (tests run from the routes/ module)");
        }
        return file.toString();
    }

    /**
     * The settings of a gateway on routes/kafka.yaml against {@code brokers}, with a test's own topic (its dead
     * letters on {@code <topic>.dead-letter}) and consumer group, plus {@code more}.
     */
    static Map<String, String> kafka(String brokers, String topic, String group, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(more);
        all.put("sluice.routes", routeFile("kafka.yaml"));
        all.put("sluice.kafka.brokers", brokers);
        all.put("sluice.kafka.topic", topic);
        all.put("sluice.kafka.dead-letter-topic", topic + ".dead-letter");
        all.put("sluice.kafka.consumer-group", group);
        return all;
    }

    /** A gateway on free loopback ports (clients and admin) and its own data directory, running the given route file. */
    static Gateway gateway(Path dataDir, String routeFile, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("sluice.host", "127.0.0.1");
        all.put("sluice.port", "0");
        all.put("sluice.admin.port", "0");
        all.put("sluice.data-dir", dataDir.toString());
        all.put("sluice.routes", routeFile(routeFile));
        return Gateway.start(Settings.of(all));
    }
}
