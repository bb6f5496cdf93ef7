package io.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers messages through a {@link MessagePath} at rates stepping up until it saturates: each step runs at
 * one offered rate for a fixed time, then waits for what is still in flight before the next one starts.
 */
final class MessageBench {
    /** A step saturates once fewer than this share of the offered messages got through within its window. */
    static final double SATURATED_BELOW = 0.9;

    private final MessagePath path;
    private final Deliveries sink;
    private final ServerSide server;
    private final ProcessProbe self = ProcessProbe.self();
    private final Duration drain;
    private final int pacers;
    private int stepIds;

    /**
     * @param server the process that carries the messages, for its CPU and memory; null when it is this one
     */
    MessageBench(MessagePath path, Deliveries sink, ProcessProbe server, int pacers, Duration drain) {
        this(path, sink, server == null ? null : ServerSide.of(server), pacers, drain);
    }

    /** @param server the processes that carry the messages (gateways and the broker or Redis behind them) */
    MessageBench(MessagePath path, Deliveries sink, ServerSide server, int pacers, Duration drain) {
        this.path = path;
        this.sink = sink;
        this.server = server;
        this.pacers = pacers;
        this.drain = drain;
    }

    /** One offered rate held for a time, and what came of it. */
    record Step(
            String series,
            int size,
            double offered,
            double achieved,
            Latency.Summary endToEnd,
            Latency.Summary accepted,
            long issued,
            long delivered,
            long failed,
            long skipped,
            long lost,
            double serverCores,
            double serverSystemShare,
            double loadgenCores,
            long serverHeapBytes,
            long serverRssBytes) {

        boolean saturated() {
            return achieved < SATURATED_BELOW * offered || lost > 0 || failed > 0;
        }

        /** Server CPU time per delivered message, in microseconds: how much work one message costs. */
        double serverMicrosPerMessage() {
            return achieved <= 0 ? Double.NaN : serverCores * 1e6 / achieved;
        }
    }

    /**
     * Steps several paths through {@code rates} together: at each rate every path not yet saturated runs its
     * step, one after the other, so that a path and its baseline meet the same background load at the same
     * rate. A path stops after its first saturated step; the whole stops when all have.
     */
    static List<Step> stepUpTogether(Map<String, MessageBench> paths, int size, List<Double> rates, Duration duration)
            throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        Map<String, MessageBench> running = new LinkedHashMap<>(paths);
        for (double rate : rates) {
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, MessageBench> path = it.next();
                Step step = path.getValue().run(path.getKey(), size, rate, duration);
                steps.add(step);
                Report.progress(step);
                if (step.saturated()) {
                    it.remove();
                }
            }
            if (running.isEmpty()) {
                break;
            }
        }
        return steps;
    }

    /** Holds {@code rate} messages a second of {@code size} bytes for {@code duration}. */
    Step run(String series, int size, double rate, Duration duration) throws InterruptedException {
        long windowEnd = System.nanoTime() + 1_000_000 + duration.toNanos();
        sink.startStep(++stepIds, windowEnd);
        // More in flight than a second's worth means the path cannot keep up: the generator waits (and that
        // wait is charged to latency, since it is measured from the due time) rather than queue without bound.
        long maxOutstanding = Math.max(5_000, (long) rate);
        ProcessProbe.Sample serverStart = server == null ? null : server.sample();
        ProcessProbe.Sample selfStart = self.sample();
        OpenLoop.Offered offered = OpenLoop.run(rate, duration, pacers, (i, due) -> {
            long giveUp = due + OpenLoop.GIVE_UP.toNanos();
            while (sink.outstanding() > maxOutstanding) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("too much in flight");
                }
                LockSupport.parkNanos(50_000);
            }
            path.send(i, due, sink.body(size, due));
        });
        double serverCores = server == null ? 0 : server.coresSince(serverStart);
        double serverSystem = server == null ? 0 : server.systemShareSince(serverStart);
        double selfCores = self.coresSince(selfStart);
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (sink.outstanding() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(5);
        }
        long heap = server == null ? -1 : server.heapUsedBytes();
        long rss = server == null ? -1 : server.rssBytes();
        long delivered = sink.delivered();
        return new Step(
                series,
                size,
                rate,
                sink.deliveredInWindow() / (duration.toNanos() / 1e9),
                sink.endToEnd(),
                sink.accepted(),
                sink.issued(),
                delivered,
                sink.failedCount(),
                offered.skipped(),
                Math.max(0, sink.issued() - delivered - sink.failedCount()),
                serverCores,
                serverSystem,
                selfCores,
                heap,
                rss);
    }

    /** The highest throughput any step reached. */
    static double saturation(List<Step> steps) {
        return steps.stream().mapToDouble(Step::achieved).max().orElse(0);
    }

    /** The step run at {@code rate}, if any. */
    static Step at(List<Step> steps, double rate) {
        return steps.stream().filter(s -> s.offered() == rate).findFirst().orElse(null);
    }
}
