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
 *
 * <p>Each method is the C function of the same name; its manual page is the full contract. Every
 * call that can fail returns -1 and leaves the error in {@link Native#lastErrno()}, except
 * {@code pthread_sigmask}, which returns it.
 */
public interface LinuxFdLib {

    // --- timerfd ---

    /**
     * {@code timerfd_create(2)}.
     *
     * @param clockid {@code CLOCK_REALTIME}, {@code CLOCK_MONOTONIC}, {@code CLOCK_BOOTTIME}...
     * @param flags   {@code TFD_NONBLOCK}, {@code TFD_CLOEXEC}, or 0
     * @return the new fd, or -1
     */
    int timerfd_create(int clockid, int flags);

    /**
     * {@code timerfd_settime(2)}: arms or disarms the timer.
     *
     * @param fd       the timerfd
     * @param flags    {@code TFD_TIMER_ABSTIME} or 0
     * @param newValue the address of a {@code struct itimerspec}: the first expiry and the period
     * @param oldValue the address of a {@code struct itimerspec} for the previous setting, or 0
     * @return 0, or -1
     */
    int timerfd_settime(int fd, int flags, @intptr_t long newValue, @intptr_t long oldValue);

    /**
     * {@code timerfd_gettime(2)}.
     *
     * @param fd        the timerfd
     * @param currValue the address of a {@code struct itimerspec} for the time to the next expiry
     *                  and the period
     * @return 0, or -1
     */
    int timerfd_gettime(int fd, @intptr_t long currValue);

    // --- signalfd and the thread signal mask ---

    /**
     * glibc's wrapper of {@code signalfd4}: {@code fd} -1 creates, otherwise replaces the mask.
     *
     * @param fd    -1, or the signalfd whose mask to replace
     * @param mask  the address of a {@code sigset_t}
     * @param flags {@code SFD_NONBLOCK}, {@code SFD_CLOEXEC}, or 0
     * @return the new or given fd, or -1
     */
    int signalfd(int fd, @intptr_t long mask, int flags);

    /**
     * {@code pthread_sigmask(3)}. Returns the error number itself and leaves errno alone, hence
     * {@code @IgnoreError}.
     *
     * @param how    {@code SIG_BLOCK}, {@code SIG_UNBLOCK} or {@code SIG_SETMASK}
     * @param set    the address of a {@code sigset_t}, or 0 to only read the mask
     * @param oldSet the address of a {@code sigset_t} for the previous mask, or 0
     * @return 0, or an errno value
     */
    @IgnoreError
    int pthread_sigmask(int how, @intptr_t long set, @intptr_t long oldSet);

    // --- inotify ---

    /**
     * {@code inotify_init1(2)}.
     *
     * @param flags {@code IN_NONBLOCK}, {@code IN_CLOEXEC}, or 0
     * @return the new fd, or -1
     */
    int inotify_init1(int flags);

    /**
     * {@code inotify_add_watch(2)}. {@code pathname} is NUL-terminated by the caller; jnr-ffi passes
     * a temporary copy.
     *
     * @param fd       the inotify fd
     * @param pathname the path's bytes, ending with a NUL
     * @param mask     the {@code IN_*} events to watch, and watch flags
     * @return the watch descriptor (the same one again for a path already watched), or -1
     */
    int inotify_add_watch(int fd, @In byte[] pathname, @u_int32_t int mask);

    /**
     * {@code inotify_rm_watch(2)}.
     *
     * @param fd the inotify fd
     * @param wd the watch descriptor
     * @return 0, or -1
     */
    int inotify_rm_watch(int fd, int wd);

    // --- pidfd (glibc 2.36 wrappers; LinuxFdCalls falls back to syscall without them) ---

    /**
     * {@code pidfd_open(2)}.
     *
     * @param pid   the process id
     * @param flags {@code PIDFD_NONBLOCK} or 0
     * @return the new fd (always close-on-exec), or -1
     */
    int pidfd_open(int pid, @u_int32_t int flags);

    /**
     * {@code pidfd_send_signal(2)}.
     *
     * @param pidfd the process's pidfd
     * @param sig   the signal number
     * @param info  the address of a {@code siginfo_t}, or 0 for what {@code kill} would send
     * @param flags 0
     * @return 0, or -1
     */
    int pidfd_send_signal(int pidfd, int sig, @intptr_t long info, @u_int32_t int flags);

    /**
     * {@code syscall(2)} with two arguments. It is variadic in C; declaring fixed {@code long}
     * arguments is exact on the LP64 Linux ABIs (x86-64, AArch64), where variadic integers travel in
     * the same registers as fixed ones.
     *
     * @param number the system call number
     * @param arg1   its first argument
     * @param arg2   its second argument
     * @return the call's result, or -1
     */
    long syscall(long number, long arg1, long arg2);

    /**
     * {@code syscall(2)} with four arguments; see the two-argument form.
     *
     * @param number the system call number
     * @param arg1   its first argument
     * @param arg2   its second argument
     * @param arg3   its third argument
     * @param arg4   its fourth argument
     * @return the call's result, or -1
     */
    long syscall(long number, long arg1, long arg2, long arg3, long arg4);
}
