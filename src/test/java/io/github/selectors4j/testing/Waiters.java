package io.github.selectors4j.testing;

import io.github.selectors4j.internal.InterruptibleWait;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Whether a thread is blocked in a kernel wait ({@code epoll_wait}, {@code poll}, {@code select},
 * {@code kevent}): the condition a test needs before it wakes the wait from another thread, so
 * that it tests waking a blocked wait rather than a wait that has not begun. A fixed sleep proves
 * neither that the wait began nor that it blocked.
 */
public final class Waiters {

    private Waiters() {
    }

    /** Waits, at most 5 s, until the thread is blocked in a kernel wait; fails otherwise. */
    public static void awaitBlockedInKernelWait(Thread thread) {
        Awaitility.await("thread " + thread.getName() + " blocked in a kernel wait")
                .atMost(Duration.ofSeconds(5))
                .until(() -> isBlockedInKernelWait(thread));
    }

    /**
     * True while the thread runs native code (the system call; a blocked system call leaves a Java
     * thread RUNNABLE) called from a wait attempt of {@link InterruptibleWait#await}.
     */
    public static boolean isBlockedInKernelWait(Thread thread) {
        if (thread.getState() != Thread.State.RUNNABLE) {
            return false;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length == 0 || !stack[0].isNativeMethod()) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals(InterruptibleWait.class.getName()) && frame.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }
}
