/** Python's select module side by side: select, poll, level- and edge-triggered epoll, kqueue. */

import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.select.Epoll;
import io.github.selectors4j.select.FdEvent;
import io.github.selectors4j.select.KEvent;
import io.github.selectors4j.select.Kqueue;
import io.github.selectors4j.select.Poll;
import io.github.selectors4j.select.Select;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The low-level {@code select} layer, one kernel facility after the other, on pipes — the objects
 * of Python's {@code select} module:
 * <ul>
 *   <li>{@link Select#select}: which of these objects are ready, right now;</li>
 *   <li>{@link Poll}: register, poll, modify, and the hang-up a closed writer causes;</li>
 *   <li>{@link Epoll} level-triggered (reported at every wait while data is there) and
 *       edge-triggered ({@code EPOLLET}: reported once per arrival);</li>
 *   <li>{@link Kqueue} where one is available (macOS, the BSDs, Linux with libkqueue), with
 *       {@code EV_CLEAR}, kqueue's edge-triggered mode; otherwise it says why not.</li>
 * </ul>
 * Every wait has a zero timeout: a pipe is ready as soon as the write returns, so nothing here
 * needs to block. It prints what each call returned and exits.
 *
 * <p>Run it with {@code samples/run select-basics}.
 */
public class SelectBasics {

    /** A pipe end with a name, so that results print as "read end" rather than a number. */
    record Named(String name, FileDescriptorLike end) implements FileDescriptorLike {
        @Override
        public int fileno() {
            return end.fileno();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(1024);

    public static void main(String[] args) throws Exception {
        if (args.length != 0) {
            System.err.println("usage: samples/run select-basics   (no arguments)");
            System.exit(2);
        }
        select();
        poll();
        epollLevelTriggered();
        epollEdgeTriggered();
        kqueue();
        System.out.println("done");
    }

    /** select(): hand it objects, get back the ones that are ready. */
    private static void select() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Named readEnd = new Named("read end", pipe.readEnd());
            Named writeEnd = new Named("write end", pipe.writeEnd());
            Select.Result<Named> ready = Select.select(List.of(readEnd), List.of(writeEnd), List.of(), Duration.ZERO);
            System.out.println("select   empty pipe: readable " + ready.readable() + ", writable " + ready.writable());
            write(pipe, "ping");
            ready = Select.select(List.of(readEnd), List.of(writeEnd), List.of(), Duration.ZERO);
            System.out.println("select   after writing 4 bytes: readable " + ready.readable() + ", writable " + ready.writable());
        }
    }

    /** poll(): a registry of fds and masks; modify changes a mask, a closed writer shows as POLLHUP. */
    private static void poll() throws Exception {
        try (Pipe pipe = Pipe.open(); Poll poll = Poll.open()) {
            Map<Integer, String> names = names(pipe);
            poll.register(pipe.readEnd(), Poll.POLLIN);
            System.out.println("poll     empty pipe: " + describe(poll.poll(0), names, POLL_BITS));
            write(pipe, "ping");
            poll.register(pipe.writeEnd(), Poll.POLLOUT);
            System.out.println("poll     after writing 4 bytes: " + describe(poll.poll(0), names, POLL_BITS));
            // A write end never becomes readable: after this modify only the read end is reported.
            poll.modify(pipe.writeEnd(), Poll.POLLIN);
            System.out.println("poll     write end modified to POLLIN: " + describe(poll.poll(0), names, POLL_BITS));
            pipe.readEnd().read(BUFFER.clear());
            poll.unregister(pipe.writeEnd());
            pipe.writeEnd().close();
            System.out.println("poll     drained, write end closed: " + describe(poll.poll(0), names, POLL_BITS));
        }
    }

    /** Level-triggered epoll reports the read end at every wait for as long as data is waiting. */
    private static void epollLevelTriggered() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            Map<Integer, String> names = names(pipe);
            epoll.register(pipe.readEnd(), Epoll.EPOLLIN);
            write(pipe, "ping");
            int reported = 0;
            for (int wait = 1; wait <= 2; wait++) {
                List<FdEvent> events = epoll.poll(Duration.ZERO);
                reported += events.size();
                System.out.println("epoll-lt wait " + wait + " (nothing read): " + describe(events, names, EPOLL_BITS));
            }
            pipe.readEnd().read(BUFFER.clear());
            System.out.println("epoll-lt wait 3 (after reading): " + describe(epoll.poll(Duration.ZERO), names, EPOLL_BITS));
            System.out.println("epoll-lt one write, reported by " + reported + " of 2 waits");
        }
    }

    /** Edge-triggered epoll reports an arrival once, read or not; the next write is a new edge. */
    private static void epollEdgeTriggered() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            Map<Integer, String> names = names(pipe);
            epoll.register(pipe.readEnd(), Epoll.EPOLLIN | Epoll.EPOLLET);
            write(pipe, "ping");
            int reported = 0;
            for (int wait = 1; wait <= 2; wait++) {
                List<FdEvent> events = epoll.poll(Duration.ZERO);
                reported += events.size();
                System.out.println("epoll-et wait " + wait + " (nothing read): " + describe(events, names, EPOLL_BITS));
            }
            System.out.println("epoll-et one write, reported by " + reported + " of 2 waits");
            write(pipe, "pong");
            System.out.println("epoll-et wait 3 (after a second write): " + describe(epoll.poll(Duration.ZERO), names, EPOLL_BITS));
        }
    }

    /** kqueue: a read filter with EV_CLEAR reports how many bytes wait, once per change. */
    private static void kqueue() throws Exception {
        if (!Kqueue.isAvailable()) {
            System.out.println("kqueue   not available here: " + Kqueue.unavailableReason());
            return;
        }
        try (Pipe pipe = Pipe.open(); Kqueue kqueue = Kqueue.open()) {
            KEvent watch = KEvent.of(pipe.readEnd(), Kqueue.KQ_FILTER_READ, Kqueue.KQ_EV_ADD | Kqueue.KQ_EV_CLEAR);
            kqueue.control(List.of(watch), 0, Duration.ZERO);
            write(pipe, "ping");
            for (int wait = 1; wait <= 2; wait++) {
                List<String> seen = new ArrayList<>();
                for (KEvent event : kqueue.control(List.of(), 4, Duration.ZERO)) {
                    String filter = event.filter() == Kqueue.KQ_FILTER_READ ? "EVFILT_READ" : "filter " + event.filter();
                    seen.add(filter + " on " + (event.ident() == pipe.readEnd().fileno() ? "read end" : "fd " + event.ident())
                            + ", " + event.data() + " bytes waiting");
                }
                System.out.println("kqueue   wait " + wait + " (nothing read): " + seen);
            }
        }
    }

    private static final Map<Integer, String> POLL_BITS = bits(
            Poll.POLLIN, "POLLIN", Poll.POLLPRI, "POLLPRI", Poll.POLLOUT, "POLLOUT",
            Poll.POLLERR, "POLLERR", Poll.POLLHUP, "POLLHUP", Poll.POLLNVAL, "POLLNVAL");

    private static final Map<Integer, String> EPOLL_BITS = bits(
            Epoll.EPOLLIN, "EPOLLIN", Epoll.EPOLLPRI, "EPOLLPRI", Epoll.EPOLLOUT, "EPOLLOUT",
            Epoll.EPOLLERR, "EPOLLERR", Epoll.EPOLLHUP, "EPOLLHUP", Epoll.EPOLLRDHUP, "EPOLLRDHUP");

    private static Map<Integer, String> bits(Object... bitsAndNames) {
        Map<Integer, String> bits = new LinkedHashMap<>();
        for (int i = 0; i < bitsAndNames.length; i += 2) {
            bits.put((Integer) bitsAndNames[i], (String) bitsAndNames[i + 1]);
        }
        return bits;
    }

    /** {@code [read end POLLIN, write end POLLOUT]}: each ready fd by name, with its event bits. */
    private static String describe(List<FdEvent> events, Map<Integer, String> names, Map<Integer, String> bits) {
        List<String> described = new ArrayList<>();
        for (FdEvent event : events) {
            StringBuilder text = new StringBuilder(names.getOrDefault(event.fd(), "fd " + event.fd()));
            bits.forEach((bit, name) -> {
                if ((event.events() & bit) != 0) {
                    text.append(' ').append(name);
                }
            });
            described.add(text.toString());
        }
        return described.toString();
    }

    private static Map<Integer, String> names(Pipe pipe) {
        return Map.of(pipe.readEnd().fileno(), "read end", pipe.writeEnd().fileno(), "write end");
    }

    private static void write(Pipe pipe, String text) throws Exception {
        pipe.writeEnd().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
