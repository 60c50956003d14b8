package io.github.selectors4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Struct layouts per platform, checked against the system headers' definitions. */
class PlatformTest {

    @Test
    void epollEventIsPackedOnX86Only() {
        // glibc <sys/epoll.h>: __EPOLL_PACKED is defined for x86-64 (and i386's alignment gives the same).
        Platform x8664 = Platform.of(Platform.Os.LINUX, Platform.Arch.X86_64, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(12, x8664.epollEventSize());
        assertEquals(4, x8664.epollDataOffset());
        Platform aarch64 = Platform.of(Platform.Os.LINUX, Platform.Arch.AARCH64, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(16, aarch64.epollEventSize());
        assertEquals(8, aarch64.epollDataOffset());
    }

    @Test
    void fdSetWordsAndTimevalFollowEachSystem() {
        Platform linux = Platform.of(Platform.Os.LINUX, Platform.Arch.X86_64, 8, ByteOrder.LITTLE_ENDIAN);
        Platform macos = Platform.of(Platform.Os.DARWIN, Platform.Arch.AARCH64, 8, ByteOrder.LITTLE_ENDIAN);
        Platform freebsd = Platform.of(Platform.Os.FREEBSD, Platform.Arch.X86_64, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(64, linux.fdMaskBits());       // __fd_mask is long
        assertEquals(32, macos.fdMaskBits());       // __int32_t fds_bits[]
        assertEquals(64, freebsd.fdMaskBits());     // __fd_mask is unsigned long
        assertEquals(128, linux.fdSetBytes());
        assertEquals(8, linux.timevalMicrosSize()); // suseconds_t is long
        assertEquals(4, macos.timevalMicrosSize()); // __darwin_suseconds_t is __int32_t
        assertEquals(16, macos.timevalSize());      // padded after the int
    }

    @Test
    void flagsThatDifferBetweenSystems() {
        Platform linux = Platform.of(Platform.Os.LINUX, Platform.Arch.X86_64, 8, ByteOrder.LITTLE_ENDIAN);
        Platform macos = Platform.of(Platform.Os.DARWIN, Platform.Arch.AARCH64, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(1030, linux.fDupfdCloexec());
        assertEquals(67, macos.fDupfdCloexec());
        assertEquals(0x100, linux.pollWrNorm());
        assertEquals(0x004, macos.pollWrNorm());
        assertEquals(0, macos.pollRdHup());
    }

    @Test
    void theCurrentPlatformIsDetected() {
        assertTrue(Platform.CURRENT.isLinux(), "these tests run on Linux: " + Platform.CURRENT);
        assertEquals(8, Platform.CURRENT.longSize());
        assertEquals(System.getProperty("os.arch").equals("amd64") ? 12 : 16, Platform.CURRENT.epollEventSize());
    }
}
