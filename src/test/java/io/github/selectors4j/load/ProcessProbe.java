package io.github.selectors4j.load;

import io.github.selectors4j.internal.Platform;
import io.github.selectors4j.testing.OpenFds;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * What a leak leaves behind in this process, measured at one moment: open fds, the C heap in use
 * (glibc's {@code malloc_info}, which sees every {@code malloc}/{@code calloc} including the ones
 * jnr-ffi and selectors4j make and the JDK's direct buffers), the JDK's direct buffers, the JVM's
 * own native memory accounting (NMT, when the JVM runs with {@code -XX:NativeMemoryTracking}), and
 * the resident set.
 *
 * <p>Used inside child JVMs (see {@link LeakMain}, {@link EchoLoadMain}) so that no other test
 * disturbs the numbers, started with {@link #STABLE_JVM}: the JVM's own use of the C heap moves by
 * megabytes while G1 resizes its structures and C2 compiles, and would drown a leak; with the
 * serial collector, a fixed heap and C1 only it stays within a few hundred KiB.
 */
final class ProcessProbe {

    /** The C calls {@code malloc_info} needs; test-only, beside the library's own bindings. */
    public interface CHeap {
        /** {@code fopen(3)}. */
        Pointer fopen(String path, String mode);

        /** {@code malloc_info(3)}. */
        int malloc_info(int options, Pointer stream);

        /** {@code fclose(3)}. */
        int fclose(Pointer stream);
    }

    private static final CHeap C_HEAP = LibraryLoader.create(CHeap.class).load(Platform.CURRENT.libcName());
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_ARENA_CHUNK = Pattern.compile("Arena Chunk \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_OTHER = Pattern.compile("Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    /** One measurement. */
    record Snapshot(int fds, Map<Integer, String> fdTable, long cHeapInUse, long directCount, long directBytes,
                    long nmtNonHeapKb, long nmtOtherKb, long nmtArenaChunkKb, long rssKb) {
        /**
         * The C heap in use less the JIT compilers' pool of arena chunks, by NMT's account: the
         * pool holds megabytes after a burst of compilation and is emptied every few seconds, so
         * left in, it would make the heap appear to shrink or grow by that much between two
         * measurements.
         */
        long cHeap() {
            return cHeapInUse - Math.max(0, nmtArenaChunkKb) * 1024;
        }
    }

    /** The child JVM's flags: NMT on, and a JVM whose own native memory holds still. */
    static final java.util.List<String> STABLE_JVM = java.util.List.of("-XX:NativeMemoryTracking=summary", "-XX:+UseSerialGC",
            "-Xms128m", "-Xmx128m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private ProcessProbe() {
    }

    /**
     * Lets the collector free what is garbage (direct buffers are released by their cleaners, after
     * a collection), then measures. Waits until the direct-buffer count stops falling, at most 10 s.
     */
    static Snapshot settleAndMeasure() throws IOException {
        BufferPoolMXBean direct = directPool();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long previous = Long.MAX_VALUE;
        int stableRounds = 0;
        while (stableRounds < 3 && System.nanoTime() < deadline) {
            System.gc();
            // Cleaners run on the reference handler thread after the collection; give it a moment.
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = direct.getCount();
            stableRounds = now >= previous ? stableRounds + 1 : 0;
            previous = now;
        }
        return measure();
    }

    /** Measures now, without collecting. */
    static Snapshot measure() throws IOException {
        Map<Integer, String> fds = OpenFds.snapshot();
        long cHeap = cHeapInUse();
        BufferPoolMXBean direct = directPool();
        String nmt = nmtSummary();
        return new Snapshot(fds.size(), fds, cHeap, direct.getCount(), direct.getMemoryUsed(),
                nmt == null ? -1 : kb(NMT_TOTAL, nmt) - kb(NMT_HEAP, nmt), nmt == null ? -1 : kb(NMT_OTHER, nmt),
                nmt == null ? -1 : kb(NMT_ARENA_CHUNK, nmt), rssKb());
    }

    private static BufferPoolMXBean directPool() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    }

    /**
     * Bytes the C heap has handed out and not taken back: for the whole process, the system bytes
     * of every arena less their free chunks, plus the chunks served by mmap.
     */
    static long cHeapInUse() throws IOException {
        Path report = Files.createTempFile("malloc-info", ".xml");
        try {
            Pointer stream = C_HEAP.fopen(report.toString(), "w");
            if (stream == null) {
                throw new IOException("fopen " + report + " failed");
            }
            C_HEAP.malloc_info(0, stream);
            C_HEAP.fclose(stream);
            String xml = Files.readString(report);
            // The process-wide totals follow the last per-arena <heap> element.
            String totals = xml.substring(xml.lastIndexOf("</heap>") + 1);
            long system = attribute(totals, "<system type=\"current\" size=\"");
            long fast = attribute(totals, "<total type=\"fast\" count=\"\\d+\" size=\"");
            long rest = attribute(totals, "<total type=\"rest\" count=\"\\d+\" size=\"");
            long mmap = attribute(totals, "<total type=\"mmap\" count=\"\\d+\" size=\"");
            return system - fast - rest + mmap;
        } finally {
            Files.deleteIfExists(report);
        }
    }

    private static long attribute(String xml, String prefix) {
        Matcher matcher = Pattern.compile(prefix + "(\\d+)\"").matcher(xml);
        if (!matcher.find()) {
            throw new IllegalStateException("malloc_info without " + prefix + ": " + xml);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The JVM's NMT summary, or null if tracking is off. */
    static String nmtSummary() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            String summary = String.valueOf(out);
            return summary.contains("Total:") ? summary : null;
        } catch (javax.management.JMException e) {
            return null;
        }
    }

    private static long kb(Pattern pattern, String nmt) {
        Matcher matcher = pattern.matcher(nmt);
        return matcher.find() ? Long.parseLong(matcher.group(2)) : 0;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
