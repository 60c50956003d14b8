package io.github.selectors4j;

import io.github.selectors4j.fd.EventFd;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM of {@link FdExhaustionTest}: opens eventfds until the process runs out of fds, then
 * prints what the failure was. Nothing else in this JVM has reported an error before.
 */
public final class FdExhaustionMain {

    private FdExhaustionMain() {
    }

    /**
     * Runs the child.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        List<EventFd> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 100_000; i++) {
                opened.add(EventFd.open());
            }
            System.out.println("NOFAILURE " + opened.size());
        } catch (Throwable failure) {
            int count = opened.size();
            opened.forEach(EventFd::close);
            System.out.println("FAILURE " + failure.getClass().getName() + ": " + failure.getMessage());
            System.out.println("OPENED " + count);
        }
    }
}
