package io.github.selectors4j.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Creating and closing selectors of every backend, epoll and poll objects, event loops and loop
 * groups, servers, sockets, TCP connections, connections served by the reactor and the pollable fds, each 10^4 to 10^5 times in a
 * child JVM ({@link LeakMain}), leaves the process's fd table exactly as it was and its native
 * memory flat: the C heap in use ({@code malloc_info}, which sees selectors4j's own
 * {@code calloc}s), the JDK's direct buffers and the JVM's NMT accounting.
 *
 * <p>Even in the steadied child JVM ({@link ProcessProbe#STABLE_JVM}) the C heap moves by up to a
 * few hundred KiB while the JVM works, so growth is allowed up to {@link #C_HEAP_LIMIT}: 1 MiB over
 * 10^5 cycles is 10 bytes a cycle, less than the smallest block malloc hands out (32 bytes). Two
 * control kinds leak on purpose (64 C-heap bytes, or one fd, per cycle) and must be caught, which
 * shows the measurement can fail.
 */
@Timeout(300)
class LeakTest {

    private static final long C_HEAP_LIMIT = 1L << 20;
    private static final long NMT_LIMIT_KB = 4L << 10;
    private static final long DIRECT_BYTES_LIMIT = 64L << 10;
    private static final Pattern LINE = Pattern.compile("LEAK kind=(\\S+) cycles=(\\d+) seconds=(\\S+) fds=(\\d+)>(\\d+) cHeap=(\\d+)>(\\d+) "
            + "direct=(\\d+)>(\\d+) directBytes=(\\d+)>(\\d+) nmtNonHeapKB=(-?\\d+)>(-?\\d+) nmtOtherKB=(-?\\d+)>(-?\\d+) rssKB=(\\d+)>(\\d+) newFds=(\\S*)");

    /** One kind's measurement. */
    record Result(String kind, int cycles, double seconds, int fdsBefore, int fdsAfter, long heapBefore, long heapAfter,
                  long directBefore, long directAfter, long directBytesBefore, long directBytesAfter,
                  long nmtBefore, long nmtAfter, String newFds, String line) {
        long heapGrowth() {
            return heapAfter - heapBefore;
        }
    }

    static Map<String, Result> run(String... kinds) throws Exception {
        ChildJvm.Result child = ChildJvm.run(ProcessProbe.STABLE_JVM, concat("io.github.selectors4j.load.LeakMain", kinds), 240);
        assertEquals(0, child.exitCode(), child::output);
        Map<String, Result> results = new LinkedHashMap<>();
        for (String line : child.stdout().split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                System.out.println(line);
                results.put(m.group(1), new Result(m.group(1), Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)),
                        Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), Long.parseLong(m.group(10)), Long.parseLong(m.group(11)),
                        Long.parseLong(m.group(12)), Long.parseLong(m.group(13)), m.group(18), line));
            }
        }
        assertEquals(kinds.length, results.size(), child::output);
        return results;
    }

    private static List<String> concat(String main, String... args) {
        List<String> all = new ArrayList<>();
        all.add(main);
        all.addAll(List.of(args));
        return all;
    }

    static void assertNoLeak(Result result) {
        assertEquals(result.fdsBefore(), result.fdsAfter(), () -> result.kind() + " left fds open: " + result.newFds());
        assertTrue(result.heapGrowth() < C_HEAP_LIMIT, () -> result.kind() + ": the C heap grew by " + result.heapGrowth()
                + " bytes over " + result.cycles() + " cycles: " + result.line());
        assertTrue(result.directAfter() <= result.directBefore(), () -> result.kind() + " left direct buffers: " + result.line());
        assertTrue(result.directBytesAfter() - result.directBytesBefore() < DIRECT_BYTES_LIMIT, result::line);
        assertTrue(result.nmtBefore() > 0, () -> "NMT is off in the child: " + result.line());
        assertTrue(result.nmtAfter() - result.nmtBefore() < NMT_LIMIT_KB, () -> result.kind() + ": NMT grew: " + result.line());
    }

    @Test
    void selectorsPollObjectsAndLoopsLeaveNothing() throws Exception {
        List<String> kinds = new ArrayList<>(List.of("epoll-selector=100000", "poll-selector=100000", "select-selector=100000",
                "epoll=100000", "poll=100000", "event-loop=100000", "event-loop-group=10000", "server=20000"));
        if (io.github.selectors4j.select.Kqueue.isAvailable()) {
            kinds.add("kqueue-selector=100000");
        } else {
            System.out.println("kqueue-selector not measured: " + io.github.selectors4j.select.Kqueue.unavailableReason());
        }
        Map<String, Result> results = run(kinds.toArray(String[]::new));
        results.values().forEach(LeakTest::assertNoLeak);
    }

    @Test
    void socketsConnectionsAndFdsLeaveNothing() throws Exception {
        Map<String, Result> results = run("sockets=100000", "tcp-connection=20000", "server-connection=20000", "fds=20000");
        results.values().forEach(LeakTest::assertNoLeak);
    }

    @Test
    void theMeasurementSeesALeak() throws Exception {
        Map<String, Result> results = run("control-calloc=100000", "control-fd=100");
        Result calloc = results.get("control-calloc");
        assertTrue(calloc.heapGrowth() > C_HEAP_LIMIT, () -> "64 bytes leaked 10^5 times went unseen: " + calloc.line());
        Result fd = results.get("control-fd");
        assertEquals(100, fd.fdsAfter() - fd.fdsBefore(), fd::line);
    }
}
