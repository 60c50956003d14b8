package io.github.selectors4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's demo: {@code samples/run tour} runs every part on one loop and exits by itself. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TourSampleTest {

    @Test
    void everyPartDeliversAndTheTourEndsByItself() throws Exception {
        ChildJvm.Result result = Samples.run("tour", Duration.ofSeconds(60));
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        List<String> expected = List.of(
                "^DefaultSelector chose the epoll backend$",
                "ms  tcp +connected to the echo server at 127\\.0\\.0\\.1:\\d+$",
                "ms  tcp +echoed back: \"hello over TCP\"$",
                "ms  udp +datagram back from 127\\.0\\.0\\.1:\\d+: \"hello over UDP\"$",
                "ms  unix +\"hello over AF_UNIX\" from pid \\d+ uid \\d+$",
                "ms  netlink +link 1 lo UP mtu \\d+$",
                "ms  netlink +end of the link dump; still listening for changes$",
                "ms  timerfd +tick [3-9]$",
                "ms  eventfd +read \\d+ \\(total 6\\) written by another thread$",
                "^tour finished in \\d+ ms$");
        for (String line : expected) {
            Pattern pattern = Pattern.compile(line, Pattern.MULTILINE);
            assertTrue(pattern.matcher(out).find(), "no line matching /" + line + "/ in:\n" + result.output());
        }
    }
}
