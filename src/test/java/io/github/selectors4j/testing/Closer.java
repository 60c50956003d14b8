package io.github.selectors4j.testing;

import io.github.selectors4j.internal.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a test opens and closes it afterwards, last opened first. A raw fd the test closes
 * itself must go through {@link #closeFd}: once closed its number may belong to another thread's
 * file (the JVM opens jars and sockets concurrently), so cleanup must never close it again, and
 * "is it still open?" cannot tell whose file the number now names.
 */
public final class Closer implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Integer> rawFds = new ArrayList<>();

    /** Registers a resource and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Registers raw fds. */
    public int[] addFds(int... fds) {
        for (int fd : fds) {
            rawFds.add(fd);
            resources.add(() -> {
                if (rawFds.remove(Integer.valueOf(fd))) {
                    Fds.close(fd);
                }
            });
        }
        return fds;
    }

    /** Closes a registered raw fd now, so that cleanup does not close its number a second time. */
    public void closeFd(int fd) throws IOException {
        if (!rawFds.remove(Integer.valueOf(fd))) {
            throw new IllegalArgumentException("fd " + fd + " is not registered with this Closer");
        }
        Fds.close(fd);
    }

    /** Registers one raw fd. */
    public int addFd(int fd) {
        addFds(fd);
        return fd;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        rawFds.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
