package io.sluice.bench;

import java.util.List;

/**
 * The server-side processes of one path, measured together: CPU is summed over all of them (a gateway and the
 * Redis or Kafka broker behind it, or several gateways), heap and RSS over those that hold the path's own state
 * (the gateways; for a baseline, its server). What a step reports as "server".
 */
final class ServerSide {
    private final List<ProcessProbe> cpu;
    private final List<ProcessProbe> memory;

    private ServerSide(List<ProcessProbe> cpu, List<ProcessProbe> memory) {
        this.cpu = List.copyOf(cpu);
        this.memory = List.copyOf(memory);
    }

    /** One process: its CPU and its memory. */
    static ServerSide of(ProcessProbe process) {
        return new ServerSide(List.of(process), List.of(process));
    }

    /** CPU of all of {@code cpu}, memory of {@code memory} (a subset, or the same). */
    static ServerSide of(List<ProcessProbe> cpu, List<ProcessProbe> memory) {
        return new ServerSide(cpu, memory);
    }

    ProcessProbe.Sample sample() {
        long nanos = System.nanoTime();
        double total = 0;
        double system = 0;
        for (ProcessProbe p : cpu) {
            double[] s = p.userAndSystemSeconds();
            total += s[0] + s[1];
            system += s[1];
        }
        return new ProcessProbe.Sample(nanos, total, system);
    }

    /** Cores used on average since {@code start}, all processes together. */
    double coresSince(ProcessProbe.Sample start) {
        ProcessProbe.Sample now = sample();
        double seconds = (now.nanos() - start.nanos()) / 1e9;
        return seconds <= 0 ? 0 : (now.cpuSeconds() - start.cpuSeconds()) / seconds;
    }

    /** The share of that CPU spent in the kernel, 0 to 1. */
    double systemShareSince(ProcessProbe.Sample start) {
        ProcessProbe.Sample now = sample();
        double total = now.cpuSeconds() - start.cpuSeconds();
        return total <= 0 ? 0 : (now.systemSeconds() - start.systemSeconds()) / total;
    }

    /** Heap in use summed over the memory processes; -1 when none could be asked. */
    long heapUsedBytes() {
        long sum = -1;
        for (ProcessProbe p : memory) {
            long heap = p.heapUsedBytes();
            if (heap >= 0) {
                sum = Math.max(sum, 0) + heap;
            }
        }
        return sum;
    }

    /** Resident memory summed over the memory processes. */
    long rssBytes() {
        return memory.isEmpty()
                ? -1
                : memory.stream().mapToLong(ProcessProbe::rssBytes).sum();
    }
}
