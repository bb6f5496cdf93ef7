package io.sluice.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads what a JVM process costs: CPU and resident memory from {@code /proc/<pid>}, heap through the process's
 * own platform MBeans (attached over the local management agent, so the process needs no JMX flags).
 */
final class ProcessProbe implements AutoCloseable {
    /** USER_HZ: the unit of utime and stime in /proc/pid/stat; 100 on every Linux that matters. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private JMXConnector jmx;
    private MemoryMXBean memory;

    ProcessProbe(long pid) {
        this.pid = pid;
    }

    /** This process. */
    static ProcessProbe self() {
        return new ProcessProbe(ProcessHandle.current().pid());
    }

    long pid() {
        return pid;
    }

    /** CPU seconds used so far, user and system. */
    double cpuSeconds() {
        double[] cpu = userAndSystemSeconds();
        return cpu[0] + cpu[1];
    }

    /** CPU seconds used so far in user mode and in the kernel (system calls), in that order. */
    double[] userAndSystemSeconds() {
        String stat = read("stat");
        // The command name may hold spaces and parentheses: fields are counted after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new double[] {
            Long.parseLong(fields[11]) / TICKS_PER_SECOND, Long.parseLong(fields[12]) / TICKS_PER_SECOND
        };
    }

    /** Resident set size in bytes. */
    long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    /** Threads of the process. */
    long threads() {
        return statusKb("Threads:");
    }

    /** Heap in use right now, garbage included; -1 when the process cannot be asked. */
    long heapUsedBytes() {
        return withMemory(bean -> bean.getHeapMemoryUsage().getUsed());
    }

    /** Heap in use after two full collections: what is live; -1 when the process cannot be asked. */
    long liveHeapBytes() {
        return withMemory(bean -> {
            bean.gc();
            bean.gc();
            return bean.getHeapMemoryUsage().getUsed();
        });
    }

    /** Asks the process's MemoryMXBean, attaching again once if the connection broke. */
    private long withMemory(java.util.function.ToLongFunction<MemoryMXBean> ask) {
        for (int attempt = 0; ; attempt++) {
            try {
                return ask.applyAsLong(memory());
            } catch (RuntimeException e) {
                synchronized (this) {
                    close();
                    jmx = null;
                    memory = null;
                }
                if (attempt == 1) {
                    System.err.println("bench: cannot read the heap of process " + pid + ": " + e);
                    return -1;
                }
            }
        }
    }

    /** The open-file limit of the process (soft), from /proc/pid/limits. */
    long openFileLimit() {
        for (String line : read("limits").lines().toList()) {
            if (line.startsWith("Max open files")) {
                String[] parts =
                        line.substring("Max open files".length()).trim().split("\\s+");
                return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    private long statusKb(String key) {
        for (String line : read("status").lines().toList()) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    private synchronized MemoryMXBean memory() {
        if (memory == null) {
            if (pid == ProcessHandle.current().pid()) {
                memory = ManagementFactory.getMemoryMXBean();
            } else {
                try {
                    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                    String address;
                    try {
                        address = vm.startLocalManagementAgent();
                    } finally {
                        vm.detach();
                    }
                    jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
                    MBeanServerConnection connection = jmx.getMBeanServerConnection();
                    memory = ManagementFactory.newPlatformMXBeanProxy(
                            connection, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot attach to process " + pid + " for its heap", e);
                }
            }
        }
        return memory;
    }

    /** CPU and memory over an interval: take one at the start, then {@link #since}. */
    record Sample(long nanos, double cpuSeconds, double systemSeconds) {}

    Sample sample() {
        double[] cpu = userAndSystemSeconds();
        return new Sample(System.nanoTime(), cpu[0] + cpu[1], cpu[1]);
    }

    /** The share of the CPU used since {@code start} that went to the kernel, 0 to 1. */
    double systemShareSince(Sample start) {
        double[] cpu = userAndSystemSeconds();
        double total = cpu[0] + cpu[1] - start.cpuSeconds();
        return total <= 0 ? 0 : (cpu[1] - start.systemSeconds()) / total;
    }

    /** Cores used on average since {@code start} (1.0 = one core fully busy). */
    double coresSince(Sample start) {
        double seconds = (System.nanoTime() - start.nanos()) / 1e9;
        return seconds <= 0 ? 0 : (cpuSeconds() - start.cpuSeconds()) / seconds;
    }

    /** The machine's 1-minute load average. */
    static String loadAverage() {
        try {
            List<String> parts =
                    List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return parts.get(0) + " " + parts.get(1) + " " + parts.get(2);
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // The process is going away anyway.
            }
        }
    }
}
