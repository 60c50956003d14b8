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

    int kqueue();

    int kevent(int kq, @intptr_t long changelist, @size_t long nchanges, @intptr_t long eventlist,
               @size_t long nevents, Pointer timeout);
}
