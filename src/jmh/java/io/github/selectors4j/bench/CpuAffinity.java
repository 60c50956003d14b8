package io.github.selectors4j.bench;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Pins the calling thread to one CPU with {@code sched_setaffinity(2)}. Threads it starts
 * afterwards inherit the mask, so pinning the benchmark thread before it starts a loop thread puts
 * both on that CPU.
 */
final class CpuAffinity {

    /** The libc function; pid 0 is the calling thread. */
    public interface LibC {
        int sched_setaffinity(int pid, long cpusetsize, Pointer mask);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private CpuAffinity() {
    }

    /**
     * Pins the calling thread.
     *
     * @param cpu the CPU number
     * @throws IllegalStateException if the kernel refuses (no such CPU, or not allowed)
     */
    static void pinCurrentThread(int cpu) {
        Runtime runtime = Runtime.getRuntime(LIBC);
        int bytes = 128; // a cpu_set_t: 1024 CPUs
        Pointer mask = Memory.allocateDirect(runtime, bytes);   // zeroed
        mask.putByte(cpu / 8, (byte) (1 << (cpu % 8)));
        if (LIBC.sched_setaffinity(0, bytes, mask) != 0) {
            throw new IllegalStateException("sched_setaffinity(cpu " + cpu + ") failed, errno "
                    + runtime.getLastError());
        }
    }
}
