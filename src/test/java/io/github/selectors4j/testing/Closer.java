package io.github.selectors4j.testing;

import io.github.selectors4j.internal.Fds;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a test opens and closes it afterwards, last opened first (a test may close an fd
 * whose number a later resource then reused). Raw fds are closed only if still open.
 */
public final class Closer implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Registers a resource and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Registers raw fds. */
    public int[] addFds(int... fds) {
        for (int fd : fds) {
            resources.add(() -> {
                if (Fds.isOpen(fd)) {
                    Fds.close(fd);
                }
            });
        }
        return fds;
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
        if (failure != null) {
            throw failure;
        }
    }
}
