package io.github.selectors4j.internal;

import java.nio.ByteOrder;
import jnr.constants.platform.OpenFlags;

/**
 * Everything that differs between the platforms selectors4j runs on, decided once.
 *
 * <p>{@link #CURRENT} describes this JVM's platform and is what the library uses. Other instances
 * can be built with {@link #of} so that layout code for platforms other than the build machine's
 * can be unit-tested against the byte layouts of their system headers.
 */
public final class Platform {

    /** Operating-system families with distinct ABIs. */
    public enum Os {
        /** Linux, whatever the C library. */
        LINUX,
        /** macOS. */
        DARWIN,
        /** FreeBSD (and MidnightBSD, which shares its ABI). */
        FREEBSD,
        /** OpenBSD. */
        OPENBSD,
        /** NetBSD. */
        NETBSD,
        /** DragonFly BSD. */
        DRAGONFLY,
        /** Any other system. */
        OTHER
    }

    /** CPU families that matter for struct layout. */
    public enum Arch {
        /** 64-bit x86, where glibc packs {@code struct epoll_event}. */
        X86_64,
        /** 32-bit x86, where glibc packs {@code struct epoll_event} too. */
        X86,
        /** 64-bit ARM. */
        AARCH64,
        /** 32-bit ARM. */
        ARM,
        /** Any other CPU: {@code struct epoll_event} is taken as naturally aligned. */
        OTHER
    }

    /** The platform of this JVM. */
    public static final Platform CURRENT = detect();

    /** {@code FD_SETSIZE}: the number of descriptors an {@code fd_set} holds on every supported OS. */
    public static final int FD_SETSIZE = 1024;

    private final Os os;
    private final Arch arch;
    private final int longSize;
    private final ByteOrder byteOrder;

    private Platform(Os os, Arch arch, int longSize, ByteOrder byteOrder) {
        this.os = os;
        this.arch = arch;
        this.longSize = longSize;
        this.byteOrder = byteOrder;
    }

    /**
     * Describes another platform, for layout tests.
     *
     * @param os        the OS family
     * @param arch      the CPU family
     * @param longSize  {@code sizeof(long)} in bytes
     * @param byteOrder the byte order
     * @return the description
     */
    public static Platform of(Os os, Arch arch, int longSize, ByteOrder byteOrder) {
        return new Platform(os, arch, longSize, byteOrder);
    }

    private static Platform detect() {
        jnr.ffi.Platform nativePlatform = jnr.ffi.Platform.getNativePlatform();
        Os os = switch (nativePlatform.getOS()) {
            case LINUX, ZLINUX -> Os.LINUX;
            case DARWIN -> Os.DARWIN;
            case FREEBSD, MIDNIGHTBSD -> Os.FREEBSD;
            case OPENBSD -> Os.OPENBSD;
            case NETBSD -> Os.NETBSD;
            case DRAGONFLY -> Os.DRAGONFLY;
            default -> Os.OTHER;
        };
        Arch arch = switch (nativePlatform.getCPU()) {
            case X86_64 -> Arch.X86_64;
            case I386 -> Arch.X86;
            case AARCH64 -> Arch.AARCH64;
            case ARM -> Arch.ARM;
            default -> Arch.OTHER;
        };
        return new Platform(os, arch, nativePlatform.longSize() / 8, ByteOrder.nativeOrder());
    }

    /** {@return the OS family} */
    public Os os() {
        return os;
    }

    /** {@return the CPU family} */
    public Arch arch() {
        return arch;
    }

    /** {@return whether this is Linux} */
    public boolean isLinux() {
        return os == Os.LINUX;
    }

    /** {@return whether this is macOS or a BSD} There kqueue lives in libc. */
    public boolean isBsdFamily() {
        return os == Os.DARWIN || os == Os.FREEBSD || os == Os.OPENBSD || os == Os.NETBSD || os == Os.DRAGONFLY;
    }

    /** {@return {@code sizeof(long)} in bytes} */
    public int longSize() {
        return longSize;
    }

    /** {@return the byte order} */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** {@return the name of the C library jnr-ffi should load} */
    public String libcName() {
        return jnr.ffi.Platform.getNativePlatform().getStandardCLibraryName();
    }

    // --- struct epoll_event (Linux) ---

    /**
     * {@return {@code sizeof(struct epoll_event)}} glibc declares it packed on x86 and x86_64, so
     * the 64-bit data field follows the 32-bit events field directly (12 bytes); elsewhere the data
     * field is 8-byte aligned (16 bytes).
     */
    public int epollEventSize() {
        return isX86() ? 12 : 16;
    }

    /** {@return the offset of {@code epoll_event.data}} */
    public int epollDataOffset() {
        return isX86() ? 4 : 8;
    }

    private boolean isX86() {
        return arch == Arch.X86_64 || arch == Arch.X86;
    }

    // --- fd_set and struct timeval (select) ---

    /**
     * {@return the bits in one {@code fd_mask} word of an {@code fd_set}} macOS uses 32-bit words,
     * Linux and the BSDs use {@code long}. On a little-endian machine the two give the same bytes,
     * on a big-endian one they do not, so the word size matters.
     */
    public int fdMaskBits() {
        return os == Os.DARWIN ? 32 : longSize * 8;
    }

    /** {@return {@code sizeof(fd_set)}} */
    public int fdSetBytes() {
        return FD_SETSIZE / 8;
    }

    /** {@return {@code sizeof(struct timeval)}} */
    public int timevalSize() {
        return 2 * longSize;
    }

    /** {@return the size of {@code timeval.tv_usec}} A 32-bit {@code suseconds_t} on macOS, {@code long} elsewhere. */
    public int timevalMicrosSize() {
        return os == Os.DARWIN ? 4 : longSize;
    }

    // --- struct msghdr and struct cmsghdr (sendmsg / recvmsg) ---

    /**
     * {@return the offsets in {@code struct msghdr} of name, namelen, iov, iovlen, control,
     * controllen and flags} Linux uses {@code size_t} for the iov and control lengths; the BSDs use
     * {@code int} and {@code socklen_t}, which moves the flags.
     */
    public int[] msghdrOffsets() {
        int p = longSize;
        return isLinux()
                ? new int[] {0, p, 2 * p, 3 * p, 4 * p, 5 * p, 6 * p}
                : new int[] {0, p, 2 * p, 3 * p, 4 * p, 5 * p, 5 * p + 4};
    }

    /** {@return {@code sizeof(struct cmsghdr)} before alignment} Linux's {@code cmsg_len} is a {@code size_t}. */
    public int cmsgHeaderSize() {
        return isLinux() ? longSize + 8 : 12;
    }

    /** {@return the alignment {@code CMSG_ALIGN} rounds to} {@code size_t} on Linux and FreeBSD, 4 bytes on macOS. */
    public int cmsgAlignment() {
        return os == Os.DARWIN ? 4 : longSize;
    }

    /** {@return whether {@code cmsg_len} is a {@code size_t} (Linux) rather than a {@code socklen_t}} */
    public boolean cmsgLengthIsLong() {
        return isLinux() && longSize == 8;
    }

    // --- flags ---

    /** {@return {@code O_NONBLOCK}} On Linux it is also {@code SOCK_NONBLOCK}, {@code EFD_NONBLOCK}... */
    public int oNonBlock() {
        return OpenFlags.O_NONBLOCK.intValue();
    }

    /**
     * An {@code O_*} flag of {@code open(2)} by name, as this platform defines it.
     *
     * @param name e.g. {@code "O_CREAT"}
     * @return its value, or 0 if the platform lacks it
     */
    public int openFlag(String name) {
        OpenFlags flag = OpenFlags.valueOf(name);
        return flag.defined() ? flag.intValue() : 0;
    }

    /** {@return {@code O_CLOEXEC}} On Linux it is also {@code SOCK_CLOEXEC}, {@code EFD_CLOEXEC}, {@code EPOLL_CLOEXEC}... */
    public int oCloexec() {
        return OpenFlags.O_CLOEXEC.intValue();
    }

    /** {@return {@code F_DUPFD_CLOEXEC}, or -1 if unknown} jnr-constants does not carry it. */
    public int fDupfdCloexec() {
        return switch (os) {
            case LINUX -> 1030;
            case DARWIN -> 67;
            case FREEBSD, DRAGONFLY -> 17;
            case OPENBSD -> 10;
            case NETBSD -> 12;
            default -> -1;
        };
    }

    // --- poll(2) flags that differ between systems; 0 where the system lacks the flag ---

    /** {@return {@code POLLWRNORM}} Linux has its own bit, the BSDs alias {@code POLLOUT}. */
    public int pollWrNorm() {
        return isLinux() ? 0x100 : 0x004;
    }

    /** {@return {@code POLLWRBAND}} */
    public int pollWrBand() {
        return isLinux() ? 0x200 : 0x100;
    }

    /** {@return {@code POLLMSG}, 0 where the system lacks it} Linux only. */
    public int pollMsg() {
        return isLinux() ? 0x400 : 0;
    }

    /** {@return {@code POLLRDHUP}, 0 where the system lacks it} Linux and FreeBSD have it. */
    public int pollRdHup() {
        return switch (os) {
            case LINUX -> 0x2000;
            case FREEBSD -> 0x4000;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return os + "/" + arch + " (long " + longSize + " bytes, " + byteOrder + ")";
    }
}
