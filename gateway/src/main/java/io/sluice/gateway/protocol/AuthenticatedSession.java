package io.sluice.gateway.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What runs for an authenticated connection: its delivery and its periodic prekey check. Started once the login
 * completed and stopped when the connection closes or drains, in whichever order the two happen: a stop that comes
 * first, or while it starts, leaves no subscription or periodic task behind.
 */
final class AuthenticatedSession {
    private final Delivery delivery;
    private final Runnable preKeyCheck;
    private final ScheduledExecutorService scheduler;
    private final Duration checkInterval;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> periodic;

    AuthenticatedSession(
            Delivery delivery, Runnable preKeyCheck, ScheduledExecutorService scheduler, Duration checkInterval) {
        this.delivery = delivery;
        this.preKeyCheck = preKeyCheck;
        this.scheduler = scheduler;
        this.checkInterval = checkInterval;
    }

    Delivery delivery() {
        return delivery;
    }

    void start() {
        if (stopped) {
            return;
        }
        delivery.start();
        long interval = checkInterval.toMillis();
        periodic = scheduler.scheduleAtFixedRate(preKeyCheck, 0, interval, TimeUnit.MILLISECONDS);
        if (stopped) {
            undo(); // stop() may have run before periodic was set
        }
    }

    void stop() {
        stopped = true;
        undo();
    }

    private void undo() {
        delivery.stop();
        ScheduledFuture<?> task = periodic;
        if (task != null) {
            task.cancel(false);
        }
    }
}
