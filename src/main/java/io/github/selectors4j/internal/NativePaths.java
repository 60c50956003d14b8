package io.github.selectors4j.internal;

import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * File names as the kernel sees them: bytes in the JVM's file-name encoding
 * ({@code sun.jnu.encoding}, the charset {@code java.io.File} uses), so that a path handed to a
 * system call and a name coming back from one (an inotify event) round-trip exactly as they do
 * through the JDK's own file APIs.
 */
public final class NativePaths {

    private static final Charset FILE_NAMES = fileNameCharset();

    private NativePaths() {
    }

    /**
     * Encodes a path of the default file system as a NUL-terminated C string. Relative paths are
     * resolved against {@code user.dir}, as every JDK file API does, rather than against the
     * process's working directory, which need not be the same.
     *
     * @param path a path of the default file system
     * @return the bytes, NUL-terminated
     * @throws IllegalArgumentException if the path belongs to another file system (a zip file
     *                                  system has no kernel path), or holds a NUL byte
     */
    public static byte[] encode(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException("not a path of the default file system: " + path
                    + " (" + path.getFileSystem().provider().getScheme() + ")");
        }
        byte[] bytes = path.toAbsolutePath().toString().getBytes(FILE_NAMES);
        for (byte b : bytes) {
            if (b == 0) {
                // The kernel would stop at the NUL and silently use a shorter, different path.
                throw new IllegalArgumentException("path contains a NUL byte: " + path);
            }
        }
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /**
     * Decodes a file name the kernel returned.
     *
     * @param bytes  the bytes
     * @param offset where the name starts
     * @param length its length, without the terminating NUL
     * @return the name
     */
    public static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, FILE_NAMES);
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return Charset.defaultCharset();
        }
    }
}
