package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording's CPU samples ({@code jdk.ExecutionSample}) say: the hottest methods (top of stack), the
 * hottest Sluice methods anywhere on the stack, the hottest code by library, and which threads ran.
 */
record JfrSummary(
        long samples,
        List<Map.Entry<String, Long>> topFrames,
        List<Map.Entry<String, Long>> stacks,
        List<Map.Entry<String, Long>> sluiceFrames,
        List<Map.Entry<String, Long>> libraries,
        List<Map.Entry<String, Long>> threads,
        long nativeSamples,
        List<Map.Entry<String, Long>> nativeFrames,
        List<Map.Entry<String, Long>> blockedMillis,
        double machineCpu) {

    /**
     * Native methods where a thread waits rather than works: left out of the native samples, which otherwise
     * show the JNI work (RocksDB) that {@code jdk.ExecutionSample} cannot see.
     */
    private static final java.util.Set<String> WAITING = java.util.Set.of(
            "sun.nio.ch.EPoll.wait",
            "sun.nio.ch.Net.poll",
            "sun.nio.ch.Net.accept",
            "jdk.internal.misc.Unsafe.park",
            "java.lang.Object.wait0",
            "java.lang.Thread.sleep0",
            "java.lang.Thread.sleepNanos0",
            "java.lang.Thread.yield0",
            "java.lang.ref.Reference.waitForReferencePendingList",
            "java.lang.ProcessHandleImpl.waitForProcessExit0",
            "java.io.FileInputStream.readBytes",
            "sun.nio.ch.IOUtil.drain",
            "sun.nio.ch.ServerSocketChannelImpl.accept0");

    static JfrSummary read(Path recording, int limit) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> sluice = new HashMap<>();
        Map<String, Long> libraries = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> stacks = new HashMap<>();
        Map<String, Long> natives = new HashMap<>();
        Map<String, Long> blocked = new HashMap<>();
        long samples = 0;
        long nativeSamples = 0;
        double machineTotal = 0;
        int machineReadings = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.CPULoad")) {
                    double total = event.getDouble("machineTotal");
                    if (total > 0) {
                        machineTotal += total;
                        machineReadings++;
                    }
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.JavaMonitorEnter") || type.equals("jdk.ThreadPark")) {
                    // Waits in Sluice code only: idle pool threads park too, and are not a bottleneck.
                    String where = stack.getFrames().stream()
                            .map(f -> name(f.getMethod()))
                            .filter(m -> m.startsWith("io.sluice."))
                            .findFirst()
                            .orElse(null);
                    if (where != null) {
                        String what = type.equals("jdk.JavaMonitorEnter")
                                ? "monitor "
                                        + className(
                                                event.getClass("monitorClass") == null
                                                        ? null
                                                        : event.getClass("monitorClass")
                                                                .getName())
                                : "park "
                                        + className(
                                                event.getClass("parkedClass") == null
                                                        ? null
                                                        : event.getClass("parkedClass")
                                                                .getName());
                        blocked.merge(what + " in " + where, event.getDuration().toMillis(), Long::sum);
                    }
                    continue;
                }
                if (type.equals("jdk.NativeMethodSample")) {
                    String method = name(stack.getFrames().get(0).getMethod());
                    if (!WAITING.contains(method)) {
                        nativeSamples++;
                        natives.merge(method, 1L, Long::sum);
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                String topMethod = name(frames.get(0).getMethod());
                top.merge(topMethod, 1L, Long::sum);
                libraries.merge(library(topMethod), 1L, Long::sum);
                stacks.merge(
                        String.join(
                                " ← ",
                                frames.stream()
                                        .limit(4)
                                        .map(f -> shortName(f.getMethod()))
                                        .toList()),
                        1L,
                        Long::sum);
                // Inclusive: each Sluice method once per sample, however deep it recurses.
                frames.stream()
                        .map(f -> name(f.getMethod()))
                        .filter(m -> m.startsWith("io.sluice."))
                        .distinct()
                        .forEach(m -> sluice.merge(m, 1L, Long::sum));
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
                if (threadName.isEmpty()) {
                    threadName = "(virtual threads)";
                }
                threads.merge(threadName.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-"), 1L, Long::sum);
            }
        }
        return new JfrSummary(
                samples,
                largest(top, limit),
                largest(stacks, limit),
                largest(sluice, limit),
                largest(libraries, limit),
                largest(threads, limit),
                nativeSamples,
                largest(natives, limit),
                largest(blocked, limit),
                machineReadings == 0 ? Double.NaN : machineTotal / machineReadings);
    }

    private static String className(String name) {
        return name == null ? "?" : name.substring(name.lastIndexOf('.') + 1);
    }

    private static String shortName(RecordedMethod method) {
        if (method == null) {
            return "?";
        }
        String type = method.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + method.getName();
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    /** The library a method belongs to, from its package: io.sluice, org.rocksdb, org.eclipse.jetty, … */
    static String library(String method) {
        String[] parts = method.split("\\.");
        if (parts.length < 3) {
            return method;
        }
        String two = parts[0] + "." + parts[1];
        return switch (two) {
            case "java.util",
                    "java.lang",
                    "java.nio",
                    "java.security",
                    "sun.nio",
                    "sun.security",
                    "jdk.internal",
                    "java.io",
                    "java.net",
                    "sun.net" -> two + "." + parts[2];
            default -> parts.length > 3 ? two + "." + parts[2] : two;
        };
    }

    private static List<Map.Entry<String, Long>> largest(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    }
}
