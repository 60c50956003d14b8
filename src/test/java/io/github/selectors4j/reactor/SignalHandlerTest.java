package io.github.selectors4j.reactor;

import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.internal.Native;
import io.github.selectors4j.testing.Signals;
import io.github.selectors4j.testing.ThreadSignals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signals delivered to loops. Only signals that cannot hurt the JVM are sent: SIGUSR1, for which
 * {@link ThreadSignals} keeps a counting JVM handler installed (so the signal never meets its
 * default action, which would kill the JVM), and SIGWINCH, which {@link Signals} handles and whose
 * default action is to ignore it. Each test checks that the handler in place before is back after.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalHandlerTest extends LoopTestBase {

    private static final int SIGUSR1 = ThreadSignals.SIGUSR1;
    private static final int SIGWINCH = Signals.SIGWINCH;

    @BeforeEach
    void installSafetyHandlers() {
        ThreadSignals.usr1Handled();   // installs the counting SIGUSR1 handler first, so it is what gets restored
        Signals.handled();             // the same for SIGWINCH
    }

    private static void sendToProcess(int signal) {
        assertEquals(0, Native.POSIX.kill(Native.POSIX.getpid(), signal), "kill(" + signal + ")");
    }

    @Test
    void aSignalRunsItsCallbackOnTheLoopThreadAndRemovingItRestoresThePreviousHandler() throws Exception {
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        int jvmHandlerBefore = ThreadSignals.usr1Handled();
        loop.addSignalHandler(SIGUSR1, () -> ranOn.add(Thread.currentThread()));
        try (LoopThread running = LoopThread.start(loop, "signal-loop")) {
            sendToProcess(SIGUSR1);
            await("the signal's callback").atMost(Duration.ofSeconds(10)).until(() -> ranOn.size() == 1);
            assertSame(running.thread(), ranOn.get(0), "the callback ran on the loop's thread");
            assertEquals(jvmHandlerBefore, ThreadSignals.usr1Handled(), "the loop's handler replaced the previous one");

            assertTrue(running.call(() -> loop.removeSignalHandler(SIGUSR1)));
            assertFalse(running.call(() -> loop.removeSignalHandler(SIGUSR1)), "removed already");
        }
        // The previous (counting) handler is back, so sending SIGUSR1 again is safe, and it reaches that handler.
        sendToProcess(SIGUSR1);
        await("the restored handler").atMost(Duration.ofSeconds(10)).until(() -> ThreadSignals.usr1Handled() == jvmHandlerBefore + 1);
        assertEquals(1, ranOn.size(), "the removed callback did not run again");
    }

    @Test
    void aSignalArrivingWhileTheLoopIsNotRunningWaitsForIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        loop.addSignalHandler(SIGWINCH, runs::incrementAndGet);
        int winchBefore = Signals.handled();
        sendToProcess(SIGWINCH);   // the loop is not running yet: the callback is queued for it
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.counts()[2] == 1);
        assertEquals(0, runs.get());
        loop.runOnce();
        assertEquals(1, runs.get());
        assertTrue(loop.removeSignalHandler(SIGWINCH));
        sendToProcess(SIGWINCH);
        await().atMost(Duration.ofSeconds(10)).until(() -> Signals.handled() > winchBefore);
    }

    @Test
    void twoLoopsMayHandleOneSignalAndTheLastRemovalRestores() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        int winchBefore = Signals.handled();
        try (EventLoop other = EventLoop.open()) {
            loop.addSignalHandler(SIGWINCH, first::incrementAndGet);
            other.addSignalHandler(SIGWINCH, second::incrementAndGet);
            sendToProcess(SIGWINCH);
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.counts()[2] == 1 && other.counts()[2] == 1);
            loop.runOnce();
            other.runOnce();
            assertEquals(1, first.get());
            assertEquals(1, second.get());
            assertEquals(winchBefore, Signals.handled(), "the loops' handler replaced the previous one");

            assertTrue(loop.removeSignalHandler(SIGWINCH));
            sendToProcess(SIGWINCH);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.counts()[2] == 1);
            other.runOnce();
            assertEquals(2, second.get(), "the other loop still handles it");
            assertEquals(1, first.get());
            assertEquals(winchBefore, Signals.handled());
        }   // closing the other loop removes its handler: the previous one is back
        sendToProcess(SIGWINCH);
        await().atMost(Duration.ofSeconds(10)).until(() -> Signals.handled() == winchBefore + 1);
    }

    @Test
    void closingTheLoopRemovesItsHandlers() throws Exception {
        int jvmHandlerBefore = ThreadSignals.usr1Handled();
        AtomicInteger runs = new AtomicInteger();
        EventLoop other = EventLoop.open();
        other.addSignalHandler(SIGUSR1, runs::incrementAndGet);
        other.close();
        sendToProcess(SIGUSR1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ThreadSignals.usr1Handled() == jvmHandlerBefore + 1);
        assertEquals(0, runs.get());
    }

    /** A process that inherited SIGINT as ignored (a shell's background job) still gets its handler run. */
    @Test
    void aSignalInheritedAsIgnoredIsTakenOverAsPythonDoes() throws Exception {
        String command = "trap '' INT; exec '" + io.github.selectors4j.testing.ChildJvm.javaExecutable() + "'"
                + " --enable-native-access=ALL-UNNAMED -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m"
                + " -cp '" + System.getProperty("java.class.path") + "' " + InheritedIgnoreMain.class.getName();
        try (io.github.selectors4j.testing.BackgroundProcess child =
                     io.github.selectors4j.testing.BackgroundProcess.start(java.util.List.of("sh", "-c", command))) {
            long pid = Long.parseLong(child.awaitLine("READY", Duration.ofSeconds(30)).trim());
            io.github.selectors4j.testing.ChildJvm.Result kill = io.github.selectors4j.testing.ChildJvm.exec(
                    java.util.List.of("kill", "-INT", Long.toString(pid)), 10);
            assertEquals(0, kill.exitCode(), kill.output());
            assertEquals(0, child.waitFor(Duration.ofSeconds(30)), child.output());
            assertTrue(child.stdout().contains("GOT SIGINT"), child.output());
        }
    }

    @Test
    void signalsTheJvmReservesAreRefusedSayingWhy() {
        assertThrowsWithMessage(IllegalArgumentException.class, "SIGSEGV", () -> loop.addSignalHandler(11, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "SIGUSR2", () -> loop.addSignalHandler(12, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "SIGKILL cannot be caught", () -> loop.addSignalHandler(9, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "SIGQUIT", () -> loop.addSignalHandler(3, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "SIGSTOP cannot be caught", () -> loop.addSignalHandler(19, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "signal 99", () -> loop.addSignalHandler(99, () -> {
        }));
        assertThrowsWithMessage(IllegalArgumentException.class, "signal 0", () -> loop.addSignalHandler(0, () -> {
        }));
        assertFalse(loop.removeSignalHandler(11), "nothing was installed");
    }
}
