package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.ErrnoException;
import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.select.Epoll;
import io.github.selectors4j.select.FdEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code epoll_event} decoding of {@link Epoll} on what a real kernel writes: the fuzzer
 * registers, modifies and unregisters a pipe, an eventfd and a socket pair with any 32-bit event
 * mask and tag, makes them ready and not, and waits with any {@code maxEvents}. Whatever it does,
 * every wait returns at most {@code maxEvents} distinct registered fds, each with the tag it was
 * registered with (the upper half of the 64-bit {@code epoll_data}) and only the events asked for
 * plus EPOLLERR and EPOLLHUP; an EPOLLONESHOT registration reports once until modified; indexes
 * outside the results are refused with IndexOutOfBoundsException; only ErrnoException (the kernel
 * refusing a mask or an operation) and the documented IllegalArgumentException for
 * {@code maxEvents < 1} come out.
 */
class EpollEventFuzzTest {

    /** What the test believes is registered: fd to mask and tag, and whether a one-shot fired. */
    private record Registration(int mask, int tag, boolean fired) {
    }

    @FuzzTest(maxDuration = "5m")
    void waitAndRead(FuzzedDataProvider data) throws IOException {
        try (Epoll epoll = Epoll.open(); Pipe pipe = Pipe.open(); EventFd eventFd = EventFd.open()) {
            NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
            try {
                run(data, epoll, pipe, eventFd, pair);
            } finally {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    private static void run(FuzzedDataProvider data, Epoll epoll, Pipe pipe, EventFd eventFd, NativeSocket[] pair) throws IOException {
        int[] fds = {pipe.readEnd().fileno(), pipe.writeEnd().fileno(), eventFd.fileno(), pair[0].fileno(), pair[1].fileno()};
        Map<Integer, Registration> model = new HashMap<>();
        ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
        boolean shutDown = false;
        for (int step = 0; step < 32 && data.remainingBytes() > 0; step++) {
            int fd = fds[data.consumeInt(0, fds.length - 1)];
            switch (data.consumeInt(0, 7)) {
                case 0 -> {
                    int mask = mask(data);
                    int tag = data.consumeInt();
                    if (succeeds(() -> epoll.register(fd, mask, tag))) {
                        model.put(fd, new Registration(mask, tag, false));
                    }
                }
                case 1 -> {
                    int mask = mask(data);
                    int tag = data.consumeInt();
                    if (succeeds(() -> epoll.modify(fd, mask, tag))) {
                        model.put(fd, new Registration(mask, tag, false));
                    }
                }
                case 2 -> {
                    if (succeeds(() -> epoll.unregister(fd))) {
                        model.remove(fd);
                    }
                }
                case 3 -> {
                    pipe.writeEnd().write(new byte[] {1}, 0, 1);
                    eventFd.write(1);
                    if (!shutDown) {
                        pair[1].send(ByteBuffer.wrap(new byte[] {1}));
                    }
                }
                case 4 -> {
                    pipe.readEnd().read(scratch.clear());
                    if (data.consumeBoolean()) {
                        eventFd.read();
                    }
                    pair[0].recv(scratch.clear());
                }
                case 5 -> {
                    pair[1].shutdown(NativeSocket.SHUT_WR);
                    shutDown = true;
                }
                case 6 -> {
                    int maxEvents = data.consumeInt(-1, 8);
                    if (maxEvents < 1) {
                        assertThrows(IllegalArgumentException.class, () -> epoll.waitReady(0, maxEvents));
                        continue;
                    }
                    int n = epoll.waitReady(0, maxEvents);
                    int[] readyFds = new int[n];
                    int[] events = new int[n];
                    int[] tags = new int[n];
                    for (int i = 0; i < n; i++) {
                        readyFds[i] = epoll.readyFd(i);
                        events[i] = epoll.readyEvents(i);
                        tags[i] = epoll.readyTag(i);
                    }
                    assertThrows(IndexOutOfBoundsException.class, () -> epoll.readyFd(n));
                    assertThrows(IndexOutOfBoundsException.class, () -> epoll.readyTag(-1));
                    check(model, maxEvents, readyFds, events, tags);
                }
                default -> {
                    int maxEvents = data.consumeInt(-2, 8);
                    if (maxEvents == 0 || maxEvents < -1) {
                        // As Python's epoll.poll: -1 means the default, anything else below 1 is refused.
                        assertThrows(IllegalArgumentException.class, () -> epoll.poll(Duration.ZERO, maxEvents));
                        continue;
                    }
                    List<FdEvent> ready = epoll.poll(Duration.ZERO, maxEvents);
                    int[] readyFds = ready.stream().mapToInt(FdEvent::fd).toArray();
                    int[] events = ready.stream().mapToInt(FdEvent::events).toArray();
                    int[] tags = new int[ready.size()];
                    for (int i = 0; i < tags.length; i++) {
                        tags[i] = model.containsKey(readyFds[i]) ? model.get(readyFds[i]).tag() : 0;
                    }
                    check(model, maxEvents == -1 ? Epoll.DEFAULT_MAX_EVENTS : maxEvents, readyFds, events, tags);
                }
            }
        }
    }

    /** Mostly real event bits, sometimes any 32 bits: the kernel refuses what it must with EINVAL. */
    private static int mask(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 0) {
            return data.consumeInt();
        }
        int mask = data.consumeInt(0, 0x3ff) | (data.consumeBoolean() ? Epoll.EPOLLRDHUP : 0);
        if (data.consumeBoolean()) {
            mask |= data.pickValue(new int[] {Epoll.EPOLLET, Epoll.EPOLLONESHOT, Epoll.EPOLLEXCLUSIVE, Epoll.EPOLLWAKEUP});
        }
        return mask;
    }

    private interface Ctl {
        void run() throws ErrnoException;
    }

    private static boolean succeeds(Ctl ctl) {
        try {
            ctl.run();
            return true;
        } catch (ErrnoException refused) {
            return false;
        }
    }

    private static void check(Map<Integer, Registration> model, int maxEvents, int[] fds, int[] events, int[] tags) {
        String result = "fds " + java.util.Arrays.toString(fds) + " events " + java.util.Arrays.toString(events)
                + " tags " + java.util.Arrays.toString(tags) + " for " + model;
        assertTrue(fds.length <= maxEvents, () -> "more than maxEvents " + maxEvents + ": " + result);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < fds.length; i++) {
            int fd = fds[i];
            assertTrue(seen.add(fd), () -> "fd " + fd + " twice in one wait: " + result);
            Registration registration = model.get(fd);
            assertTrue(registration != null, () -> "fd " + fd + " is not registered: " + result);
            assertEquals(registration.tag(), tags[i], "tag of fd " + fd + ": " + result);
            int allowed = registration.mask() | Epoll.EPOLLERR | Epoll.EPOLLHUP;
            int reported = events[i];
            assertEquals(0, reported & ~allowed, () -> "events 0x" + Integer.toHexString(reported) + " of fd " + fd
                    + " were not asked for: " + result);
            boolean oneShot = (registration.mask() & Epoll.EPOLLONESHOT) != 0;
            assertTrue(!(oneShot && registration.fired()), () -> "one-shot fd " + fd + " reported again: " + result);
            if (oneShot) {
                model.put(fd, new Registration(registration.mask(), registration.tag(), true));
            }
        }
    }
}
