package io.sluice.gateway.protocol;

import io.sluice.gateway.limits.Limits;
import io.sluice.spi.MessageQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection shares.
 *
 * @param backend the routed requests
 * @param queue the message queues delivery reads, and the per-Address channel between gateways
 * @param settings the protocol settings
 * @param requests starts requests off the reading threads (each connection's in order); may block in a
 *     synchronous route, so virtual threads
 * @param deliveries runs deliveries; never blocks for long, so a few platform threads
 * @param scheduler runs the periodic prekey checks, the deadline sweep and retries
 * @param deadlines the one deadline of every request
 * @param limits the request, prekey and login limits
 * @param observer told what happens, for metrics
 */
public record ConnectionServices(
        Backend backend,
        MessageQueue queue,
        ProtocolSettings settings,
        Executor requests,
        Executor deliveries,
        ScheduledExecutorService scheduler,
        Deadlines deadlines,
        Limits limits,
        ConnectionObserver observer) {}
