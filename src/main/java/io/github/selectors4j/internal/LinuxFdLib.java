package io.github.selectors4j.internal;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int32_t;

/**
 * The Linux-only calls behind the pollable fds of the {@code fd} package: timerfd, signalfd (and
 * the thread signal mask it depends on), inotify and pidfd. Loaded by {@link LinuxFdCalls}.
 *
 * <p>As in {@link LibC}, structs travel as the addresses ({@code @intptr_t long}) of
 * {@link NativeBuffer} memory the caller owns, so that reads and re-arms marshal nothing. No
 * signature here has six all-primitive parameters (jnr-ffi issue #181; see
 * {@code BindingSignatureTest}).
 */
public interface LinuxFdLib {

    // --- timerfd ---

    int timerfd_create(int clockid, int flags);

    /** {@code newValue} and {@code oldValue} are {@code struct itimerspec}; {@code oldValue} may be 0. */
    int timerfd_settime(int fd, int flags, @intptr_t long newValue, @intptr_t long oldValue);

    int timerfd_gettime(int fd, @intptr_t long currValue);

    // --- signalfd and the thread signal mask ---

    /** glibc's wrapper of {@code signalfd4}: {@code fd} -1 creates, otherwise replaces the mask. */
    int signalfd(int fd, @intptr_t long mask, int flags);

    /** Returns the error number itself and leaves errno alone, hence {@code @IgnoreError}. */
    @IgnoreError
    int pthread_sigmask(int how, @intptr_t long set, @intptr_t long oldSet);

    // --- inotify ---

    int inotify_init1(int flags);

    /** {@code pathname} is NUL-terminated by the caller; jnr-ffi passes a temporary copy. */
    int inotify_add_watch(int fd, @In byte[] pathname, @u_int32_t int mask);

    int inotify_rm_watch(int fd, int wd);

    // --- pidfd (glibc 2.36 wrappers; LinuxFdCalls falls back to syscall without them) ---

    int pidfd_open(int pid, @u_int32_t int flags);

    int pidfd_send_signal(int pidfd, int sig, @intptr_t long info, @u_int32_t int flags);

    /**
     * {@code syscall(2)} with two arguments. It is variadic in C; declaring fixed {@code long}
     * arguments is exact on the LP64 Linux ABIs (x86-64, AArch64), where variadic integers travel in
     * the same registers as fixed ones.
     */
    long syscall(long number, long arg1, long arg2);

    /** {@code syscall(2)} with four arguments; see the two-argument form. */
    long syscall(long number, long arg1, long arg2, long arg3, long arg4);
}
