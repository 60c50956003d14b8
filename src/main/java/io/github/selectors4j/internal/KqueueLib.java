package io.github.selectors4j.internal;

import jnr.ffi.Pointer;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;

/**
 * The two kqueue functions. They come from libc on macOS and the BSDs, and from libkqueue on Linux,
 * so they are bound separately from {@link LibC}; see {@link KqueueLibrary} for how the library is
 * found and which symbol {@code kevent} is bound to.
 *
 * <p>The timeout is a {@link Pointer}, not an address: jnr-ffi's x86-64 call stubs pass the sixth
 * argument of an all-primitive signature wrong (jnr-ffi issue #181, present in 2.3.4; shown here by
 * a garbage {@code timespec} reaching libkqueue). An object parameter takes jnr-ffi's other
 * invocation path, which passes it right. {@code BindingSignatureTest} keeps every binding clear
 * of that shape.
 *
 * <p>The change and event counts are declared {@code size_t}, as NetBSD declares them; elsewhere
 * they are {@code int}. On the 64-bit ABIs both travel in a full register and an {@code int}
 * parameter reads only its low half, so one declaration serves every system.
 */
public interface KqueueLib {

    /**
     * {@code kqueue(2)}.
     *
     * @return the new kqueue fd, or -1 with the error in {@link Native#lastErrno()}
     */
    int kqueue();

    /**
     * {@code kevent(2)}: applies changes, then waits for events.
     *
     * @param kq          the kqueue fd
     * @param changelist  the address of {@code nchanges} encoded {@code struct kevent} (layout:
     *                    {@link KqueueAbi}), or 0
     * @param nchanges    how many changes to apply
     * @param eventlist   the address of room for {@code nevents} {@code struct kevent}, or 0
     * @param nevents     the room; 0 to apply changes without waiting
     * @param timeout     a {@code struct timespec}, or null to wait forever
     * @return the number of events stored, 0 on timeout, or -1 with the error in
     *         {@link Native#lastErrno()}
     */
    int kevent(int kq, @intptr_t long changelist, @size_t long nchanges, @intptr_t long eventlist,
               @size_t long nevents, Pointer timeout);
}
