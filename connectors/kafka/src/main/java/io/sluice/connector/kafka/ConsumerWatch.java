package io.sluice.connector.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness of the consuming route, a Camel health check ({@code sluice:kafka-consumer}) that {@code /readyz}
 * includes. Not ready when the newest consumer
 *
 * <ul>
 *   <li>has held no partition for longer than {@code sluice.kafka.stall-timeout} (its group never assigned it
 *       one, as when a dead member's session still holds them),
 *   <li>has committed nothing for that long while records wait (lag above zero), or
 *   <li>shares its group with other members while the queue is embedded: each gateway would queue what it reads
 *       in its own store, and recipients connected to another gateway would never get it. That is also logged at
 *       ERROR, once, naming the fix.
 * </ul>
 *
 * It reads the consumer's metrics, which are safe to read from any thread, and describes the group with an admin
 * client every few seconds on a thread of its own.
 */
final class ConsumerWatch extends ServiceSupport implements HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerWatch.class);
    static final String ID = "kafka-consumer";
    private static final String COORDINATOR = "consumer-coordinator-metrics";
    private static final String FETCH = "consumer-fetch-manager-metrics";

    private final KafkaConnectorSettings settings;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private volatile Consumer<?, ?> consumer;
    private volatile Admin admin;
    private volatile String group;
    private volatile long lastAssigned;
    private volatile long lastCommitted;
    private volatile double lastCommits = -1;
    private volatile int groupMembers = 1;
    private volatile boolean sharedGroupLogged;
    private volatile String verdict = "";
    private boolean enabled = true;

    ConsumerWatch(KafkaConnectorSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-kafka-consumer-watch");
            thread.setDaemon(true);
            return thread;
        });
        long now = clock.getAsLong();
        this.lastAssigned = now;
        this.lastCommitted = now;
    }

    /** A watch registered with the context's health checks, replacing one of an earlier route file. */
    static ConsumerWatch register(CamelContext camel, KafkaConnectorSettings settings) {
        ConsumerWatch watch = new ConsumerWatch(settings, System::nanoTime);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        if (registry != null) {
            registry.getCheck(ID).ifPresent(earlier -> {
                registry.unregister(earlier);
                if (earlier instanceof ConsumerWatch stale) {
                    stale.stop();
                }
            });
            registry.register(watch);
        }
        try {
            camel.addService(watch, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return watch;
    }

    /** Watches this consumer from now on, in place of the one before (Camel makes a new one after a failure). */
    void watch(Consumer<?, ?> newest, Properties properties) {
        consumer = newest;
        group = properties.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        long now = clock.getAsLong();
        lastAssigned = now;
        lastCommitted = now;
        lastCommits = -1;
        if ("embedded".equals(settings.queueType()) && admin == null && group != null) {
            admin = Admin.create(adminProperties(properties));
        }
    }

    @Override
    protected void doStart() {
        long period = Math.max(200, Math.min(5_000, settings.stallTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(this::observe, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        scheduler.shutdownNow();
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(1));
        }
    }

    /** Reads the consumer's metrics and the group's size, and settles the verdict. */
    void observe() {
        try {
            Consumer<?, ?> current = consumer;
            if (current == null) {
                return;
            }
            Map<MetricName, ? extends Metric> metrics = current.metrics();
            long now = clock.getAsLong();
            if (value(metrics, COORDINATOR, "assigned-partitions") > 0) {
                lastAssigned = now;
            }
            double commits = value(metrics, COORDINATOR, "commit-total");
            if (commits != lastCommits || maxLag(metrics) <= 0) {
                lastCommits = commits;
                lastCommitted = now;
            }
            checkGroup();
            verdict = verdict(now);
        } catch (RuntimeException e) {
            LOG.atWarn()
                    .addKeyValue("event", "kafka_consumer_watch_failed")
                    .addKeyValue("error", e.toString())
                    .log();
        }
    }

    private String verdict(long now) {
        long stall = settings.stallTimeout().toNanos();
        if (groupMembers > 1) {
            return "consumer group " + group + " has " + groupMembers + " members but sluice.queue.type=embedded:"
                    + " set sluice.queue.type=redis on every gateway, or give each gateway its own group";
        }
        if (now - lastAssigned > stall) {
            return "no partition assigned for "
                    + Duration.ofNanos(now - lastAssigned).toSeconds() + " s";
        }
        if (now - lastCommitted > stall) {
            return "records waiting and nothing committed for "
                    + Duration.ofNanos(now - lastCommitted).toSeconds() + " s";
        }
        return "";
    }

    private void checkGroup() {
        Admin current = admin;
        String name = group;
        if (current == null || name == null) {
            return;
        }
        current.describeConsumerGroups(List.of(name)).all().whenComplete((groups, error) -> {
            if (error != null || groups.get(name) == null) {
                return;
            }
            groupMembers = groups.get(name).members().size();
            if (groupMembers > 1 && !sharedGroupLogged) {
                sharedGroupLogged = true;
                LOG.atError()
                        .addKeyValue("event", "kafka_group_shared_with_embedded_queue")
                        .addKeyValue("group", name)
                        .addKeyValue("members", groupMembers)
                        .addKeyValue(
                                "fix",
                                "set sluice.queue.type=redis on every gateway (one shared queue), or give each"
                                        + " gateway its own sluice.kafka.consumer-group")
                        .log("messages read here are queued only here; recipients on other gateways never get"
                                + " them");
            } else if (groupMembers <= 1) {
                sharedGroupLogged = false;
            }
        });
    }

    private static double value(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName key = entry.getKey();
            if (key.group().equals(group)
                    && key.name().equals(name)
                    && entry.getValue().metricValue() instanceof Double d) {
                return d.isNaN() ? 0 : d;
            }
        }
        return 0;
    }

    /** The largest lag of the consumer's partitions now; 0 when none are known. */
    private static double maxLag(Map<MetricName, ? extends Metric> metrics) {
        double lag = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName key = entry.getKey();
            if (key.group().equals(FETCH)
                    && key.name().equals("records-lag")
                    && key.tags().containsKey("partition")
                    && entry.getValue().metricValue() instanceof Double d
                    && !d.isNaN()) {
                lag = Math.max(lag, d);
            }
        }
        return lag;
    }

    private static Properties adminProperties(Properties consumer) {
        Properties admin = new Properties();
        for (String key : AdminClientConfig.configNames()) {
            if (consumer.containsKey(key) && !key.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                admin.put(key, consumer.get(key));
            }
        }
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-consumer-watch");
        if (AdminClientConfig.configNames().contains("enable.metrics.push")) {
            admin.put("enable.metrics.push", "false");
        }
        return admin;
    }

    /** The reason readiness is down, or empty when the consumer is fine. */
    String verdict() {
        return verdict;
    }

    @Override
    public Result call(Map<String, Object> options) {
        String why = verdict;
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this);
        return why.isEmpty() ? result.up().build() : result.down().message(why).build();
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String getGroup() {
        return "sluice";
    }

    @Override
    public String getId() {
        return ID;
    }
}
