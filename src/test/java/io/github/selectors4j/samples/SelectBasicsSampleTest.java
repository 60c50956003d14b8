package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.select.Kqueue;
import io.github.selectors4j.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code samples/run select-basics}: each select-layer object's results, printed in order. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectBasicsSampleTest {

    @Test
    void printsWhatEachCallReturned() throws Exception {
        ChildJvm.Result result = ChildJvm.exec(commandWithTheTestsKqueue(), 45);
        assertEquals(0, result.exitCode(), result.output());
        List<String> expected = new ArrayList<>(List.of(
                "select   empty pipe: readable [], writable [write end]",
                "select   after writing 4 bytes: readable [read end], writable [write end]",
                "poll     empty pipe: []",
                "poll     after writing 4 bytes: [read end POLLIN, write end POLLOUT]",
                "poll     write end modified to POLLIN: [read end POLLIN]",
                "poll     drained, write end closed: [read end POLLHUP]",
                "epoll-lt wait 1 (nothing read): [read end EPOLLIN]",
                "epoll-lt wait 2 (nothing read): [read end EPOLLIN]",
                "epoll-lt wait 3 (after reading): []",
                "epoll-lt one write, reported by 2 of 2 waits",
                "epoll-et wait 1 (nothing read): [read end EPOLLIN]",
                "epoll-et wait 2 (nothing read): []",
                "epoll-et one write, reported by 1 of 2 waits",
                "epoll-et wait 3 (after a second write): [read end EPOLLIN]"));
        // The child looks for kqueue as this JVM did (same library path, same property).
        if (Kqueue.isAvailable()) {
            expected.add("kqueue   wait 1 (nothing read): [EVFILT_READ on read end, 4 bytes waiting]");
            expected.add("kqueue   wait 2 (nothing read): []");
        } else {
            expected.add("kqueue   not available here: " + Kqueue.unavailableReason());
        }
        expected.add("done");
        assertEquals(expected, result.stdout().lines().toList(), result.output());
    }

    @Test
    void anArgumentIsAUsageError() throws Exception {
        ChildJvm.Result result = ChildJvm.exec(Samples.command("select-basics", "--verbose"), 45);
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().startsWith("usage: samples/run select-basics"), result.output());
    }

    /** The sample's command, passing on where this JVM was told libkqueue is, if it was. */
    private static List<String> commandWithTheTestsKqueue() throws Exception {
        List<String> command = new ArrayList<>(Samples.command("select-basics"));
        command.addAll(1, ChildJvm.nativeLibraryProperties());
        return command;
    }
}
