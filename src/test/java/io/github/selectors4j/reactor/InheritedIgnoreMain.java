package io.github.selectors4j.reactor;

import io.github.selectors4j.Signals;
import java.time.Duration;

/**
 * Child JVM of {@link SignalHandlerTest}: started with SIGINT ignored (as a shell's background job
 * is), it handles SIGINT on its loop and says so.
 */
public final class InheritedIgnoreMain {

    private InheritedIgnoreMain() {
    }

    /**
     * Runs the child.
     *
     * @param args unused
     * @throws Exception if the loop fails
     */
    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            loop.addSignalHandler(Signals.SIGINT, () -> {
                System.out.println("GOT SIGINT");
                loop.stop();
            });
            loop.callLater(Duration.ofSeconds(20), () -> {
                System.out.println("TIMEOUT no SIGINT");
                loop.stop();
            });
            System.out.println("READY " + ProcessHandle.current().pid());
            loop.runForever();
            loop.removeSignalHandler(Signals.SIGINT);
        }
    }
}
