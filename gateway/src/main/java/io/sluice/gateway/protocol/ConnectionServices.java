package io.sluice.gateway.protocol;

import io.sluice.gateway.limits.Limits;
import io.sluice.spi.MessageQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection shares.
 *
 * @param backend   the routed requests
 * @param queue     the message queues delivery reads
 * @param settings  the protocol settings
 * @param executor  runs deliveries
 * @param scheduler runs the periodic prekey checks and retries
 * @param limits    the request, prekey and login limits
 * @param observer  told what happens, for metrics
 */
public record ConnectionServices(
        Backend backend,
        MessageQueue queue,
        ProtocolSettings settings,
        Executor executor,
        ScheduledExecutorService scheduler,
        Limits limits,
        ConnectionObserver observer) {

    /** Without limits or metrics. */
    public ConnectionServices(
            Backend backend,
            MessageQueue queue,
            ProtocolSettings settings,
            Executor executor,
            ScheduledExecutorService scheduler) {
        this(backend, queue, settings, executor, scheduler, Limits.none(), ConnectionObserver.NONE);
    }
}
