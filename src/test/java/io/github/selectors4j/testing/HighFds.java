package io.github.selectors4j.testing;

import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.internal.Fds;

/**
 * Fd numbers that stay closed after a test closes them. The kernel gives every new fd the lowest
 * free number, so a number a test has just closed is the very next one any thread of the JVM gets
 * (a class read from a directory, a socket of a loop another test left stopping), and a test that
 * expects {@code EBADF} for it then meets someone else's open file: a flaky failure seen in CI. A
 * copy far above the numbers in use is never handed out by such opens, so closing it leaves a
 * number that names no file for as long as the test needs.
 *
 * <pre>{@code
 * int fd = HighFds.dupHigh(pipe.readEnd().fileno());
 * Fds.close(fd);        // fd now stays closed: EBADF for whatever the test does with it
 * }</pre>
 */
public final class HighFds {

    /** Far above what the test JVM has open (50 to 200 fds), and below FD_SETSIZE, so that select(2) takes it. */
    private static final int FIRST = 900;
    private static final int LAST = 1000;

    private HighFds() {
    }

    /**
     * Copies {@code fd} (close-on-exec) onto the first free number from 900 on.
     *
     * @param fd an open fd
     * @return the copy's number; the caller closes it
     * @throws ErrnoException if the copy fails
     */
    public static int dupHigh(int fd) throws ErrnoException {
        for (int number = FIRST; number < LAST; number++) {
            if (!Fds.isOpen(number)) {
                Fds.dup2(fd, number);
                return number;
            }
        }
        throw new IllegalStateException("fds " + FIRST + " to " + (LAST - 1) + " are all open");
    }
}
