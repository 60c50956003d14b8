package io.github.selectors4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * What the Java echo servers of the end-to-end benchmarks share besides their loop: the line
 * protocol with the benchmark on stdin and stdout, the same as the C server's where they overlap.
 *
 * <ul>
 *   <li>The server prints {@code listening <port>} once it accepts connections.</li>
 *   <li>{@code alloc} on stdin: it prints {@code alloc <bytes>}, the bytes allocated so far by all
 *       of its live threads but the one answering ({@code ThreadMXBean.getThreadAllocatedBytes});
 *       the benchmark asks at the start and the end of the measurement. The answering thread is
 *       left out because answering allocates (the first answer a lot: it links the string
 *       concatenation), after the count it reports.</li>
 *   <li>End of stdin: the server exits, so that it never outlives the benchmark, even one that was
 *       killed.</li>
 * </ul>
 * A daemon thread blocked on stdin does this, beside the loop thread; it wakes only twice per run.
 */
final class EchoServerControl {

    private EchoServerControl() {
    }

    /**
     * Prints the {@code listening} line and starts answering stdin.
     *
     * @param port the port the server listens on
     */
    static void listening(int port) {
        Thread control = new Thread(EchoServerControl::serve, "echo-server-control");
        control.setDaemon(true);
        control.start();
        System.out.println("listening " + port);
        System.out.flush();
    }

    private static void serve() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("alloc")) {
                    System.out.println("alloc " + allocatedBytes());
                } else {
                    System.out.println("error unknown command \"" + line + "\"");
                }
                System.out.flush();
            }
        } catch (IOException e) {
            e.printStackTrace();
        }
        System.exit(0);
    }

    /** Bytes allocated by the JVM's live threads since they started, but for the calling thread. */
    static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        long self = Thread.currentThread().getId();
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != self && allocated[i] > 0) { // -1: the thread ended between the two calls
                total += allocated[i];
            }
        }
        return total;
    }
}
