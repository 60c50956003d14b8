package io.github.selectors4j.net;

import io.github.selectors4j.internal.Errno;
import io.github.selectors4j.internal.Native;
import io.github.selectors4j.internal.NativeBuffer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Network interface names and indexes: Python's {@code socket.if_nametoindex},
 * {@code if_indextoname} and {@code if_nameindex}.
 *
 * <pre>{@code
 * int lo = Interfaces.nameToIndex("lo");          // 1 on Linux
 * String name = Interfaces.indexToName(lo);       // "lo"
 * Interfaces.list().forEach(System.out::println); // Interface[index=1, name=lo] ...
 * }</pre>
 *
 * <p>Names are those of the calling thread's network namespace.
 */
public final class Interfaces {

    /** {@code IF_NAMESIZE}: names are at most 15 bytes plus a terminator. */
    public static final int NAME_SIZE = 16;

    /**
     * One interface.
     *
     * @param index its index
     * @param name  its name
     */
    public record Interface(int index, String name) {

        /**
         * Creates the value.
         *
         * @param index its index
         * @param name  its name, not null
         */
        public Interface {
            Objects.requireNonNull(name, "name");
        }
    }

    private Interfaces() {
    }

    /**
     * The index of the named interface.
     *
     * @param name e.g. {@code "lo"}
     * @return its index, at least 1
     * @throws IllegalArgumentException if there is no such interface (or the name is too long)
     */
    public static int nameToIndex(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() >= NAME_SIZE || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an interface name: \"" + name + "\" (1 to 15 bytes, no NUL)");
        }
        int index = Native.SOCKETS.if_nametoindex(name);
        if (index == 0) {
            throw new IllegalArgumentException("no such network interface: " + name);
        }
        return index;
    }

    /**
     * The name of the interface with this index.
     *
     * @param index an index
     * @return its name
     * @throws IllegalArgumentException if there is no such interface
     */
    public static String indexToName(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("interface indexes start at 1: " + index);
        }
        NativeBuffer name = new NativeBuffer(NAME_SIZE);
        try {
            if (Native.SOCKETS.if_indextoname(index, name.address()) == 0) {
                throw new IllegalArgumentException("no network interface with index " + index);
            }
            return readName(name, 0);
        } finally {
            name.free();
        }
    }

    /**
     * Every interface, as the kernel lists them.
     *
     * @return the interfaces
     */
    public static List<Interface> list() {
        long array = Native.SOCKETS.if_nameindex();
        if (array == 0) {
            throw new UncheckedIOException(Errno.last("if_nameindex", -1));
        }
        try {
            // struct if_nameindex { unsigned int if_index; char *if_name; }, ended by {0, NULL}.
            List<Interface> interfaces = new ArrayList<>();
            int pointerSize = Native.RUNTIME.addressSize();
            int entrySize = 2 * pointerSize;
            for (long entry = array; ; entry += entrySize) {
                NativeBuffer view = NativeBuffer.view(entry, entrySize);
                int index = view.getInt(0);
                long namePointer = pointerSize == 8 ? view.getLong(pointerSize) : view.getInt(pointerSize) & 0xffff_ffffL;
                if (index == 0 && namePointer == 0) {
                    return interfaces;
                }
                interfaces.add(new Interface(index, readName(NativeBuffer.view(namePointer, NAME_SIZE), 0)));
            }
        } finally {
            Native.SOCKETS.if_freenameindex(array);
        }
    }

    private static String readName(NativeBuffer buffer, int offset) {
        StringBuilder name = new StringBuilder();
        for (int i = offset; i < NAME_SIZE; i++) {
            byte b = buffer.getByte(i);
            if (b == 0) {
                break;
            }
            name.append((char) (b & 0xff));
        }
        return name.toString();
    }
}
