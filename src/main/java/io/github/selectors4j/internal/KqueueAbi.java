package io.github.selectors4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The kqueue ABI of one platform: the layout of {@code struct kevent} and {@code struct timespec},
 * the symbol {@code kevent} is exported as, and every constant of its {@code sys/event.h}.
 *
 * <p>Values are taken from each system's header (XNU {@code bsd/sys/event.h}; FreeBSD, OpenBSD,
 * NetBSD and DragonFly {@code sys/sys/event.h}; libkqueue's generated header). Where systems agree a
 * value is written once; the differences are the point of this class:
 * <ul>
 *   <li>FreeBSD 12 grew the struct to 64 bytes ({@code data} became {@code int64_t}, four
 *       {@code uint64_t ext} words follow {@code udata});</li>
 *   <li>NetBSD's {@code filter} and {@code flags} are 32-bit and its filters count up from 0; its
 *       plain {@code kevent} symbol is a compatibility entry with a 32-bit-time timespec, so
 *       {@code __kevent50} (and on NetBSD 11, with {@code ext[4]}, {@code __kevent100}) is bound;</li>
 *   <li>macOS packs the struct to 4-byte alignment, which leaves its 64-bit offsets unchanged;</li>
 *   <li>filter numbers, timer units and several notes differ from system to system.</li>
 * </ul>
 */
public final class KqueueAbi {

    /** The ABIs selectors4j knows. */
    public enum Flavor {
        /** macOS and iOS (XNU). */
        DARWIN,
        /** FreeBSD before 12: 32-byte kevent. */
        FREEBSD_11,
        /** FreeBSD 12 and later: 64-byte kevent with ext[4]. */
        FREEBSD,
        /** OpenBSD. */
        OPENBSD,
        /** NetBSD 10 and earlier: 32-bit filter and flags, __kevent50. */
        NETBSD_10,
        /** NetBSD 11: as NetBSD 10 plus ext[4], __kevent100. */
        NETBSD_11,
        /** DragonFly BSD. */
        DRAGONFLY,
        /** libkqueue, the userspace kqueue for Linux. */
        LIBKQUEUE
    }

    /** The ABI of this JVM's platform (libkqueue's on Linux, whether or not it is installed). */
    public static final KqueueAbi CURRENT = of(currentFlavor(), Platform.CURRENT.longSize(), Platform.CURRENT.byteOrder());

    private final Flavor flavor;
    private final ByteOrder order;
    private final int pointerSize;
    private final int filterSize;
    private final int flagsSize;
    private final int filterOffset;
    private final int flagsOffset;
    private final int fflagsOffset;
    private final int dataOffset;
    private final int dataSize;
    private final int udataOffset;
    private final int size;
    private final Map<String, Integer> constants;

    private KqueueAbi(Flavor flavor, int pointerSize, ByteOrder order) {
        this.flavor = flavor;
        this.order = order;
        this.pointerSize = pointerSize;
        boolean netbsd = flavor == Flavor.NETBSD_10 || flavor == Flavor.NETBSD_11;
        boolean ext = flavor == Flavor.FREEBSD || flavor == Flavor.NETBSD_11;
        boolean int64Data = flavor == Flavor.FREEBSD || flavor == Flavor.OPENBSD || netbsd;
        // macOS declares the struct under #pragma pack(4); 32-bit systems align 64-bit fields to 4.
        int maxAlign = flavor == Flavor.DARWIN || pointerSize == 4 ? 4 : 8;
        this.filterSize = netbsd ? 4 : 2;
        this.flagsSize = netbsd ? 4 : 2;
        this.dataSize = int64Data ? 8 : pointerSize;
        int at = pointerSize;                                    // ident: uintptr_t at 0
        this.filterOffset = at;
        at += filterSize;
        this.flagsOffset = at;
        at += flagsSize;
        this.fflagsOffset = align(at, 4, maxAlign);
        at = fflagsOffset + 4;
        this.dataOffset = align(at, dataSize, maxAlign);
        at = dataOffset + dataSize;
        this.udataOffset = align(at, pointerSize, maxAlign);
        at = udataOffset + pointerSize;
        if (ext) {
            at = align(at, 8, maxAlign) + 4 * 8;
        }
        this.size = align(at, Math.min(maxAlign, Math.max(pointerSize, dataSize)), maxAlign);
        this.constants = Collections.unmodifiableMap(constantsOf(flavor));
    }

    /**
     * Describes a platform's ABI, for this machine or for layout tests.
     *
     * @param flavor      the system
     * @param pointerSize {@code sizeof(void *)}: 8 or 4
     * @param order       the byte order
     * @return the ABI
     */
    public static KqueueAbi of(Flavor flavor, int pointerSize, ByteOrder order) {
        return new KqueueAbi(flavor, pointerSize, order);
    }

    private static Flavor currentFlavor() {
        int major = majorOsVersion();
        return switch (Platform.CURRENT.os()) {
            case DARWIN -> Flavor.DARWIN;
            case FREEBSD -> major >= 12 ? Flavor.FREEBSD : Flavor.FREEBSD_11;
            case OPENBSD -> Flavor.OPENBSD;
            case NETBSD -> major >= 11 ? Flavor.NETBSD_11 : Flavor.NETBSD_10;
            case DRAGONFLY -> Flavor.DRAGONFLY;
            default -> Flavor.LIBKQUEUE;
        };
    }

    private static int majorOsVersion() {
        String version = System.getProperty("os.version", "0");
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }

    private static int align(int offset, int fieldSize, int maxAlign) {
        int alignment = Math.min(fieldSize, maxAlign);
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** {@return the system this ABI describes} */
    public Flavor flavor() {
        return flavor;
    }

    /** {@return the byte order buffers passed to the codec must use} */
    public ByteOrder order() {
        return order;
    }

    /** {@return {@code sizeof(struct kevent)}} */
    public int keventSize() {
        return size;
    }

    /** {@return {@code sizeof(struct timespec)}} Its {@code time_t} and {@code long} are each pointer-sized here. */
    public int timespecSize() {
        return 2 * pointerSize;
    }

    /** {@return the libc symbol that implements {@code kevent} with this layout} */
    public String keventSymbol() {
        return switch (flavor) {
            case NETBSD_10 -> "__kevent50";
            case NETBSD_11 -> "__kevent100";
            default -> "kevent";
        };
    }

    /**
     * Returns a constant's value, or 0 when this platform does not define it (so that an absent
     * note or flag adds no bits).
     *
     * @param name the C name, e.g. {@code "EVFILT_USER"}
     * @return the value, or 0
     */
    public int value(String name) {
        return constants.getOrDefault(name, 0);
    }

    /**
     * Looks up a constant.
     *
     * @param name the C name
     * @return the value, or empty if this platform does not define it
     */
    public OptionalInt find(String name) {
        Integer value = constants.get(name);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** {@return every constant, by C name, in header order} */
    public Map<String, Integer> constants() {
        return constants;
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Writes one {@code struct kevent} at {@code at}; any {@code ext} words are zeroed.
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the byte offset
     * @param ident  the identifier: an fd, a pid, a timer id...
     * @param filter an {@code EVFILT_*} value
     * @param flags  {@code EV_*} action and status flags
     * @param fflags filter-specific flags ({@code NOTE_*})
     * @param data   filter-specific data, e.g. a timer's period
     * @param udata  an opaque word the kernel hands back with the event
     */
    public void encode(ByteBuffer buffer, int at, long ident, int filter, int flags, int fflags, long data, long udata) {
        for (int i = 0; i < size; i++) {
            buffer.put(at + i, (byte) 0);
        }
        putWord(buffer, at, pointerSize, ident);
        putWord(buffer, at + filterOffset, filterSize, filter);
        putWord(buffer, at + flagsOffset, flagsSize, flags);
        buffer.putInt(at + fflagsOffset, fflags);
        putWord(buffer, at + dataOffset, dataSize, data);
        putWord(buffer, at + udataOffset, pointerSize, udata);
    }

    /**
     * {@return the ident of the kevent at {@code at}, unsigned}
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public long ident(ByteBuffer buffer, int at) {
        return getUnsigned(buffer, at, pointerSize);
    }

    /**
     * {@return the filter of the kevent at {@code at}} Sign-extended from 16 bits (filters are negative), or NetBSD's unsigned 32 bits.
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public int filter(ByteBuffer buffer, int at) {
        return filterSize == 2 ? buffer.getShort(at + filterOffset) : buffer.getInt(at + filterOffset);
    }

    /**
     * {@return the flags of the kevent at {@code at}, unsigned}
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public int flags(ByteBuffer buffer, int at) {
        return flagsSize == 2 ? buffer.getShort(at + flagsOffset) & 0xffff : buffer.getInt(at + flagsOffset);
    }

    /**
     * {@return the filter flags of the kevent at {@code at}}
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public int fflags(ByteBuffer buffer, int at) {
        return buffer.getInt(at + fflagsOffset);
    }

    /**
     * {@return the data of the kevent at {@code at}, signed} It is an {@code intptr_t} or an {@code int64_t}.
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public long data(ByteBuffer buffer, int at) {
        return dataSize == 8 ? buffer.getLong(at + dataOffset) : buffer.getInt(at + dataOffset);
    }

    /**
     * {@return the user data of the kevent at {@code at}, unsigned}
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the kevent's byte offset
     */
    public long udata(ByteBuffer buffer, int at) {
        return getUnsigned(buffer, at + udataOffset, pointerSize);
    }

    /**
     * Writes a {@code struct timespec}.
     *
     * @param buffer a buffer in this ABI's byte order
     * @param at     the byte offset
     * @param nanos  a non-negative duration
     */
    public void encodeTimespec(ByteBuffer buffer, int at, long nanos) {
        putWord(buffer, at, pointerSize, nanos / 1_000_000_000L);
        putWord(buffer, at + pointerSize, pointerSize, nanos % 1_000_000_000L);
    }

    private static void putWord(ByteBuffer buffer, int at, int size, long value) {
        switch (size) {
            case 8 -> buffer.putLong(at, value);
            case 4 -> buffer.putInt(at, (int) value);
            default -> buffer.putShort(at, (short) value);
        }
    }

    private static long getUnsigned(ByteBuffer buffer, int at, int size) {
        return size == 8 ? buffer.getLong(at) : buffer.getInt(at) & 0xffff_ffffL;
    }

    // ------------------------------------------------------------------ names

    /**
     * Names a filter, e.g. {@code READ}; an unknown number is shown as such.
     *
     * @param filter the filter
     * @return its name without the {@code EVFILT_} prefix
     */
    public String filterName(int filter) {
        for (Map.Entry<String, Integer> constant : constants.entrySet()) {
            if (constant.getKey().startsWith("EVFILT_") && !constant.getKey().equals("EVFILT_SYSCOUNT")
                    && constant.getValue() == filter) {
                return constant.getKey().substring("EVFILT_".length());
            }
        }
        return Integer.toString(filter);
    }

    /**
     * Names the {@code EV_*} bits of a flags word, e.g. {@code ADD|CLEAR}; bits without a name are
     * shown in hex.
     *
     * @param flags the flags
     * @return the names joined with {@code |}, or {@code 0}
     */
    public String flagNames(int flags) {
        StringBuilder names = new StringBuilder();
        int named = 0;
        for (Map.Entry<String, Integer> constant : constants.entrySet()) {
            String name = constant.getKey();
            int bit = constant.getValue();
            // Single-bit flags only; EV_SYSFLAGS is a mask and some names alias others (EV_POLL).
            if (name.startsWith("EV_") && Integer.bitCount(bit) == 1 && (flags & bit) != 0 && (named & bit) == 0) {
                names.append(names.length() == 0 ? "" : "|").append(name.substring(3));
                named |= bit;
            }
        }
        int rest = flags & ~named;
        if (rest != 0) {
            names.append(names.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return names.length() == 0 ? "0" : names.toString();
    }

    // ------------------------------------------------------------------ constant tables

    private static Map<String, Integer> constantsOf(Flavor flavor) {
        Map<String, Integer> c = new LinkedHashMap<>();
        filters(flavor, c);
        eventFlags(flavor, c);
        notes(flavor, c);
        return c;
    }

    private static void filters(Flavor flavor, Map<String, Integer> c) {
        if (flavor == Flavor.NETBSD_10 || flavor == Flavor.NETBSD_11) {
            String[] names = {"READ", "WRITE", "AIO", "VNODE", "PROC", "SIGNAL", "TIMER", "FS", "USER", "EMPTY"};
            for (int i = 0; i < names.length; i++) {
                c.put("EVFILT_" + names[i], i);
            }
            c.put("EVFILT_SYSCOUNT", 10);
            return;
        }
        c.put("EVFILT_READ", -1);
        c.put("EVFILT_WRITE", -2);
        if (flavor != Flavor.LIBKQUEUE) {
            c.put("EVFILT_AIO", -3);   // libkqueue's Linux build leaves it out
        }
        c.put("EVFILT_VNODE", -4);
        c.put("EVFILT_PROC", -5);
        c.put("EVFILT_SIGNAL", -6);
        c.put("EVFILT_TIMER", -7);
        switch (flavor) {
            case DARWIN -> {
                c.put("EVFILT_MACHPORT", -8);
                c.put("EVFILT_FS", -9);
                c.put("EVFILT_USER", -10);
                c.put("EVFILT_VM", -12);
                c.put("EVFILT_EXCEPT", -15);
                c.put("EVFILT_SYSCOUNT", 18);
            }
            case FREEBSD_11 -> {
                c.put("EVFILT_PROCDESC", -8);
                c.put("EVFILT_FS", -9);
                c.put("EVFILT_LIO", -10);
                c.put("EVFILT_USER", -11);
                c.put("EVFILT_SENDFILE", -12);
                c.put("EVFILT_SYSCOUNT", 12);
            }
            case FREEBSD -> {
                c.put("EVFILT_PROCDESC", -8);
                c.put("EVFILT_FS", -9);
                c.put("EVFILT_LIO", -10);
                c.put("EVFILT_USER", -11);
                c.put("EVFILT_SENDFILE", -12);
                c.put("EVFILT_EMPTY", -13);
                c.put("EVFILT_SYSCOUNT", 13);
            }
            case OPENBSD -> {
                c.put("EVFILT_DEVICE", -8);
                c.put("EVFILT_EXCEPT", -9);
                c.put("EVFILT_USER", -10);
                c.put("EVFILT_SYSCOUNT", 10);
            }
            case DRAGONFLY -> {
                c.put("EVFILT_EXCEPT", -8);
                c.put("EVFILT_USER", -9);
                c.put("EVFILT_FS", -10);
                c.put("EVFILT_SYSCOUNT", 10);
            }
            default -> {
                c.put("EVFILT_USER", -11);
                c.put("EVFILT_LIBKQUEUE", -12);
                c.put("EVFILT_SYSCOUNT", 12);
            }
        }
    }

    private static void eventFlags(Flavor flavor, Map<String, Integer> c) {
        c.put("EV_ADD", 0x0001);
        c.put("EV_DELETE", 0x0002);
        c.put("EV_ENABLE", 0x0004);
        c.put("EV_DISABLE", 0x0008);
        c.put("EV_ONESHOT", 0x0010);
        c.put("EV_CLEAR", 0x0020);
        c.put("EV_RECEIPT", 0x0040);
        c.put("EV_DISPATCH", 0x0080);
        switch (flavor) {
            case DARWIN -> {
                c.put("EV_UDATA_SPECIFIC", 0x0100);
                c.put("EV_VANISHED", 0x0200);
                c.put("EV_FLAG0", 0x1000);
                c.put("EV_POLL", 0x1000);
                c.put("EV_OOBAND", 0x2000);
            }
            case FREEBSD_11 -> {
                c.put("EV_DROP", 0x1000);
                c.put("EV_FLAG2", 0x4000);
            }
            case FREEBSD -> {
                c.put("EV_FORCEONESHOT", 0x0100);
                c.put("EV_KEEPUDATA", 0x0200);
                c.put("EV_DROP", 0x1000);
                c.put("EV_FLAG2", 0x4000);
            }
            case DRAGONFLY -> {
                c.put("EV_HUP", 0x0800);
                c.put("EV_NODATA", 0x1000);
            }
            default -> {
                // OpenBSD, NetBSD and libkqueue define only the common flags.
            }
        }
        c.put("EV_SYSFLAGS", flavor == Flavor.OPENBSD || flavor == Flavor.DRAGONFLY ? 0xF800 : 0xF000);
        c.put("EV_FLAG1", 0x2000);
        c.put("EV_ERROR", 0x4000);
        c.put("EV_EOF", 0x8000);
    }

    private static void notes(Flavor flavor, Map<String, Integer> c) {
        // EVFILT_USER
        c.put("NOTE_FFNOP", 0);
        c.put("NOTE_FFAND", 0x4000_0000);
        c.put("NOTE_FFOR", 0x8000_0000);
        c.put("NOTE_FFCOPY", 0xc000_0000);
        c.put("NOTE_FFCTRLMASK", 0xc000_0000);
        c.put("NOTE_FFLAGSMASK", 0x00ff_ffff);
        c.put("NOTE_TRIGGER", 0x0100_0000);
        // EVFILT_READ / EVFILT_WRITE
        c.put("NOTE_LOWAT", 0x1);
        switch (flavor) {
            case DARWIN, DRAGONFLY -> c.put("NOTE_OOB", 0x2);
            case OPENBSD -> {
                c.put("NOTE_EOF", 0x2);
                c.put("NOTE_OOB", 0x4);
            }
            case FREEBSD -> c.put("NOTE_FILE_POLL", 0x2);
            default -> {
                // No others.
            }
        }
        // EVFILT_VNODE
        c.put("NOTE_DELETE", 0x1);
        c.put("NOTE_WRITE", 0x2);
        c.put("NOTE_EXTEND", 0x4);
        c.put("NOTE_ATTRIB", 0x8);
        c.put("NOTE_LINK", 0x10);
        c.put("NOTE_RENAME", 0x20);
        if (flavor != Flavor.LIBKQUEUE) {
            c.put("NOTE_REVOKE", 0x40);   // libkqueue #undefs it
        }
        switch (flavor) {
            case DARWIN -> {
                c.put("NOTE_NONE", 0x80);
                c.put("NOTE_FUNLOCK", 0x100);
                c.put("NOTE_LEASE_DOWNGRADE", 0x200);
                c.put("NOTE_LEASE_RELEASE", 0x400);
            }
            case FREEBSD_11, FREEBSD, NETBSD_10, NETBSD_11 -> {
                c.put("NOTE_OPEN", 0x80);
                c.put("NOTE_CLOSE", 0x100);
                c.put("NOTE_CLOSE_WRITE", 0x200);
                c.put("NOTE_READ", 0x400);
            }
            case OPENBSD, LIBKQUEUE -> c.put("NOTE_TRUNCATE", 0x80);
            default -> {
                // DragonFly: the common ones only.
            }
        }
        // EVFILT_PROC
        c.put("NOTE_EXIT", 0x8000_0000);
        c.put("NOTE_FORK", 0x4000_0000);
        c.put("NOTE_EXEC", 0x2000_0000);
        if (flavor == Flavor.DARWIN) {
            c.put("NOTE_REAP", 0x1000_0000);
            c.put("NOTE_SIGNAL", 0x0800_0000);
            c.put("NOTE_EXITSTATUS", 0x0400_0000);
            c.put("NOTE_EXIT_DETAIL", 0x0200_0000);
        }
        c.put("NOTE_PCTRLMASK", flavor == Flavor.DARWIN ? 0xfff0_0000 : 0xf000_0000);
        c.put("NOTE_PDATAMASK", 0x000f_ffff);
        c.put("NOTE_TRACK", 0x1);
        c.put("NOTE_TRACKERR", 0x2);
        c.put("NOTE_CHILD", 0x4);
        // EVFILT_TIMER units: the same names mean different things on different systems.
        switch (flavor) {
            case DARWIN, LIBKQUEUE -> {
                c.put("NOTE_SECONDS", 0x1);
                c.put("NOTE_USECONDS", 0x2);
                c.put("NOTE_NSECONDS", 0x4);
                c.put("NOTE_ABSOLUTE", 0x8);
            }
            case FREEBSD_11 -> {
                c.put("NOTE_SECONDS", 0x1);
                c.put("NOTE_MSECONDS", 0x2);
                c.put("NOTE_USECONDS", 0x4);
                c.put("NOTE_NSECONDS", 0x8);
            }
            case FREEBSD -> {
                c.put("NOTE_SECONDS", 0x1);
                c.put("NOTE_MSECONDS", 0x2);
                c.put("NOTE_USECONDS", 0x4);
                c.put("NOTE_NSECONDS", 0x8);
                c.put("NOTE_ABSTIME", 0x10);
            }
            case OPENBSD, NETBSD_10, NETBSD_11 -> {
                c.put("NOTE_MSECONDS", 0x0);
                c.put("NOTE_SECONDS", 0x1);
                c.put("NOTE_USECONDS", 0x2);
                c.put("NOTE_NSECONDS", 0x3);
                c.put("NOTE_ABSTIME", 0x10);
            }
            default -> {
                // DragonFly's timers take milliseconds only.
            }
        }
        if (flavor == Flavor.LIBKQUEUE) {
            c.put("NOTE_LINKUP", 0x1);
            c.put("NOTE_LINKDOWN", 0x2);
            c.put("NOTE_LINKINV", 0x4);
        }
    }

    @Override
    public String toString() {
        return "KqueueAbi[" + flavor + ", kevent " + size + " bytes]";
    }
}
