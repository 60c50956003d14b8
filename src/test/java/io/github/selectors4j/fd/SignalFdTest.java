package io.github.selectors4j.fd;

import static io.github.selectors4j.selectors.BaseSelector.EVENT_READ;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static io.github.selectors4j.testing.ThreadSignals.SIGRT_40;
import static io.github.selectors4j.testing.ThreadSignals.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.internal.Fds;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.selectors.EpollSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.OpenFds;
import io.github.selectors4j.testing.ThreadSignals;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SignalFd} on the real kernel. Signals are blocked in the test thread only and sent to it
 * with {@code tgkill}, the one way a JVM can route a signal to a signalfd reliably; every test
 * drains and unblocks in a {@code finally}, and checks that no SIGUSR1 reached the JVM handler.
 */
class SignalFdTest {

    @Test
    void aSignalSentToTheBlockingThreadIsReadThroughEpoll() throws Exception {
        int handledBefore = ThreadSignals.usr1Handled();
        SignalFd.blockInCurrentThread(SIGUSR1);
        try (SignalFd signals = SignalFd.open(SIGUSR1); EpollSelector selector = EpollSelector.open()) {
            assertTrue(ThreadSignals.isBlockedInCurrentThread(SIGUSR1));
            selector.register(signals, EVENT_READ, "signals");
            assertNull(signals.read(), "nothing pending, non-blocking: null");
            assertTrue(selector.select(Duration.ZERO).isEmpty());

            ThreadSignals.sendToCurrentThread(SIGUSR1);
            assertTrue(ThreadSignals.isPendingForCurrentThread(SIGUSR1), "blocked, so it waits in the thread's queue");
            List<ReadyKey> ready = selector.select(Duration.ofSeconds(5));
            assertEquals(1, ready.size(), ready.toString());
            assertEquals("signals", ready.get(0).key().data());

            SignalInfo info = signals.read();
            assertNotNull(info);
            assertEquals(SIGUSR1, info.signo());
            assertEquals("SIGUSR1", info.name());
            assertEquals(SignalInfo.SI_TKILL, info.code());
            assertEquals(Native.POSIX.getpid(), info.pid());
            assertEquals(Native.POSIX.getuid(), info.uid());
            assertFalse(ThreadSignals.isPendingForCurrentThread(SIGUSR1), "reading took it");
            assertNull(signals.read());
            assertTrue(selector.select(Duration.ZERO).isEmpty());
        } finally {
            ThreadSignals.drainAndUnblock(SIGUSR1);
        }
        assertFalse(ThreadSignals.isBlockedInCurrentThread(SIGUSR1));
        assertEquals(handledBefore, ThreadSignals.usr1Handled(), "no SIGUSR1 leaked to the JVM handler");
    }

    @Test
    void aProcessDirectedSignalGoesToTheJvmHandlerOrTheSignalFdButNotBoth() throws Exception {
        int handledBefore = ThreadSignals.usr1Handled();
        SignalFd.blockInCurrentThread(SIGUSR1);
        int readThroughFd = 0;
        try (SignalFd signals = SignalFd.open(SIGUSR1); EpollSelector selector = EpollSelector.open()) {
            selector.register(signals, EVENT_READ);
            ThreadSignals.sendToProcess(SIGUSR1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && readThroughFd == 0 && ThreadSignals.usr1Handled() == handledBefore) {
                SignalInfo info = signals.read();
                if (info != null) {
                    assertEquals(SignalInfo.SI_USER, info.code(), "kill(2) sends SI_USER");
                    readThroughFd++;
                } else {
                    selector.select(Duration.ofMillis(10));
                }
            }
            // Whichever got it, the other must not get it too.
            selector.select(Duration.ofMillis(50));
            while (signals.read() != null) {
                readThroughFd++;
            }
        } finally {
            ThreadSignals.drainAndUnblock(SIGUSR1);
        }
        int handled = ThreadSignals.usr1Handled() - handledBefore;
        System.out.println("process-directed SIGUSR1: " + (readThroughFd == 1 ? "read through the signalfd" : "run by the JVM handler"));
        assertEquals(1, readThroughFd + handled, "delivered exactly once: fd " + readThroughFd + ", handler " + handled);
    }

    @Test
    void setSignalsReplacesTheSetAndOtherSignalsStayPending() throws Exception {
        SignalFd.blockInCurrentThread(SIGUSR1, SIGRT_40);
        try (SignalFd signals = SignalFd.open(SIGRT_40); EpollSelector selector = EpollSelector.open()) {
            selector.register(signals, EVENT_READ);
            assertArrayEquals(new int[] {SIGRT_40}, signals.signals());
            ThreadSignals.sendToCurrentThread(SIGUSR1);
            assertTrue(selector.select(Duration.ofMillis(50)).isEmpty(), "SIGUSR1 is not in the set");
            assertNull(signals.read());
            assertTrue(ThreadSignals.isPendingForCurrentThread(SIGUSR1));

            signals.setSignals(SIGUSR1, SIGUSR1);
            assertArrayEquals(new int[] {SIGUSR1}, signals.signals(), "sorted, without duplicates");
            assertEquals(1, selector.select(Duration.ofSeconds(5)).size());
            assertEquals(SIGUSR1, signals.read().signo());
            assertTrue(signals.toString().contains("signals=[SIGUSR1]"), signals.toString());

            assertThrows(IllegalArgumentException.class, () -> signals.setSignals(SIGUSR1, 11));
            assertArrayEquals(new int[] {SIGUSR1}, signals.signals(), "a refused set leaves the old one");
        } finally {
            ThreadSignals.drainAndUnblock(SIGUSR1, SIGRT_40);
        }
    }

    @Test
    void aThreadStartedWhileASignalIsBlockedInheritsTheBlock() throws Exception {
        SignalFd.blockInCurrentThread(SIGRT_40);
        try {
            CompletableFuture<Boolean> blockedInChild = new CompletableFuture<>();
            Thread child = new Thread(() -> blockedInChild.complete(ThreadSignals.isBlockedInCurrentThread(SIGRT_40)));
            child.start();
            child.join();
            assertTrue(blockedInChild.get(), "the JVM does not reset the mask of a new thread");
        } finally {
            SignalFd.unblockInCurrentThread(SIGRT_40);
        }
        assertFalse(ThreadSignals.isBlockedInCurrentThread(SIGRT_40));
    }

    @Test
    void signalsTheJvmNeedsAndBadNumbersAreRefused() throws Exception {
        String[][] refused = {
            {"4", "SIGILL"}, {"7", "SIGBUS"}, {"8", "SIGFPE"}, {"11", "SIGSEGV"}, {"9", "SIGKILL"},
            {"19", "SIGSTOP"}, {"3", "SIGQUIT"}, {"12", "SIGUSR2"}, {"32", "signal 32"}, {"33", "signal 33"},
            {"62", "SIGRTMIN+28"}};
        for (String[] signal : refused) {
            int number = Integer.parseInt(signal[0]);
            String expected = "signal " + signal[1] + " (" + number + ") cannot be used with a signalfd in a JVM: ";
            assertThrowsWithMessage(IllegalArgumentException.class, expected, () -> SignalFd.open(number));
            assertThrowsWithMessage(IllegalArgumentException.class, expected, () -> SignalFd.blockInCurrentThread(number));
            assertThrowsWithMessage(IllegalArgumentException.class, expected, () -> SignalFd.unblockInCurrentThread(number));
        }
        assertThrowsWithMessage(IllegalArgumentException.class, "implicit null", () -> SignalFd.open(11));
        assertThrowsWithMessage(IllegalArgumentException.class, "SR_signum", () -> SignalFd.open(12));
        for (int bad : new int[] {0, -1, 65}) {
            assertThrowsWithMessage(IllegalArgumentException.class, "not a signal number (1..64): " + bad, () -> SignalFd.open(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> SignalFd.blockInCurrentThread(SIGUSR1, 11));
        assertFalse(ThreadSignals.isBlockedInCurrentThread(SIGUSR1), "a refused call blocks nothing");
    }

    @Test
    void isNonBlockingAndCloseOnExecUnlessFlagsSayOtherwise() throws Exception {
        try (SignalFd signals = SignalFd.open(SIGRT_40)) {
            assertTrue(Fds.isNonBlocking(signals.fileno()));
            assertTrue(Fds.isCloseOnExec(signals.fileno()));
            assertEquals("anon_inode:[signalfd]", OpenFds.target(signals.fileno()));
        }
        try (SignalFd signals = SignalFd.open(new int[] {SIGRT_40}, SignalFd.SFD_CLOEXEC)) {
            assertFalse(Fds.isNonBlocking(signals.fileno()));
            assertTrue(Fds.isCloseOnExec(signals.fileno()));
        }
        try (SignalFd signals = SignalFd.open(new int[] {}, 0)) {
            assertFalse(Fds.isCloseOnExec(signals.fileno()));
            assertArrayEquals(new int[0], signals.signals());
        }
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        SignalFd signals = SignalFd.open(SIGRT_40);
        signals.close();
        signals.close();
        assertTrue(signals.isClosed());
        assertEquals("SignalFd[closed]", signals.toString());
        assertEquals("SignalFd is closed", assertThrows(AlreadyClosedException.class, signals::read).getMessage());
        assertThrows(AlreadyClosedException.class, () -> signals.setSignals(SIGUSR1));
        assertThrows(AlreadyClosedException.class, signals::fileno);
    }

    @Test
    void signalInfoDecodesEveryFieldInNativeOrder() {
        ByteBuffer bytes = ByteBuffer.allocate(SignalInfo.SIZE + 4).order(ByteOrder.nativeOrder());
        int o = 4;
        bytes.putInt(o, 17).putInt(o + 4, 5).putInt(o + 8, 1).putInt(o + 12, 4242).putInt(o + 16, -2)
                .putInt(o + 20, 9).putInt(o + 24, 77).putInt(o + 28, 0x41).putInt(o + 32, 3).putInt(o + 36, 14)
                .putInt(o + 40, 143).putInt(o + 44, -7).putLong(o + 48, 0x1122334455667788L).putLong(o + 56, 10)
                .putLong(o + 64, 20).putLong(o + 72, 0xdeadbeefL);
        SignalInfo info = SignalInfo.decode(bytes.order(ByteOrder.BIG_ENDIAN == ByteOrder.nativeOrder()
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN), o);
        assertEquals(new SignalInfo(17, 5, 1, 4242, 0xffff_fffeL, 9, 77, 0x41, 3, 14, 143, -7, 0x1122334455667788L,
                10, 20, 0xdeadbeefL), info);
        assertEquals("SIGCHLD", info.name());
        assertThrows(IndexOutOfBoundsException.class, () -> SignalInfo.decode(bytes, 5));
    }
}
