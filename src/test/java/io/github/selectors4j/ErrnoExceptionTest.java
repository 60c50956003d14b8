package io.github.selectors4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.selectors4j.internal.Errno;
import org.junit.jupiter.api.Test;

/** The one shape of a system-call failure. */
class ErrnoExceptionTest {

    @Test
    void namesTheCallTheErrnoAndTheFd() {
        ErrnoException e = Errno.exception("epoll_ctl(EPOLL_CTL_ADD)", Errno.EPERM, 7);
        assertEquals("epoll_ctl(EPOLL_CTL_ADD) on fd 7 failed: EPERM (1) Operation not permitted", e.getMessage());
        assertEquals("epoll_ctl(EPOLL_CTL_ADD)", e.call());
        assertEquals(1, e.errno());
        assertEquals("EPERM", e.errnoName());
        assertEquals(7, e.fd());
    }

    @Test
    void callsAboutNoFdAndUnknownErrnosReadWell() {
        assertEquals("pipe2 failed: EMFILE (24) Too many open files",
                Errno.exception("pipe2", Errno.EMFILE, ErrnoException.NO_FD).getMessage());
        ErrnoException unknown = Errno.exception("ioctl", 4000, 3);
        assertEquals("errno 4000", unknown.errnoName());
        assertEquals("ioctl on fd 3 failed: errno 4000 (4000) Unknown error 4000", unknown.getMessage());
    }
}
