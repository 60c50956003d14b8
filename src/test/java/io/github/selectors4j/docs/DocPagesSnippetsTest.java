package io.github.selectors4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.net.AddressFamily;
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.net.NativeSocket;
import io.github.selectors4j.net.NetlinkSocketAddress;
import io.github.selectors4j.net.Protocol;
import io.github.selectors4j.net.Rtnetlink;
import io.github.selectors4j.net.SocketType;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Watch;
import io.github.selectors4j.select.Epoll;
import io.github.selectors4j.select.FdEvent;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.selectors.SelectorKey;
import io.github.selectors4j.testing.Closer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Java blocks of the docs/ pages that show no imports, run with what they need around them.
 * {@link DocSnippetsTest} checks that each page shows exactly the region marked here.
 */
class DocPagesSnippetsTest {

    private final Closer closer = new Closer();
    private final List<String> handled = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void familiesOneSelectorForNetlinkAndTcp() throws Exception {
        // snippet:families
        try (BaseSelector selector = DefaultSelector.open();
             NativeSocket links = NativeSocket.open(AddressFamily.AF_NETLINK, SocketType.SOCK_RAW, Protocol.NETLINK_ROUTE);
             NativeSocket tcp = NativeSocket.open(AddressFamily.AF_INET, SocketType.SOCK_STREAM, 0)) {
            links.bind(NetlinkSocketAddress.groups(Rtnetlink.RTMGRP_LINK));   // link changes, as they happen
            tcp.bind(IPv4SocketAddress.loopback(0));                          // 0: any free port
            tcp.listen(128);
            selector.register(links, BaseSelector.EVENT_READ, "netlink");
            selector.register(tcp, BaseSelector.EVENT_READ, "tcp");
            // end:families
            assertEquals(2, selector.getMap().size());
        }
    }

    @Test
    void reactorCounterExample() throws Exception {
        String printed = StdoutCapture.of(() -> {
            // snippet:reactor-counter
            try (EventLoop loop = EventLoop.open()) {                 // over DefaultSelector.open()
                EventFd counter = EventFd.open();
                loop.addReader(counter, () -> System.out.println("counted " + counter.read()));
                loop.callLater(Duration.ofMillis(100), () -> counter.write(3));
                loop.callLater(Duration.ofMillis(500), loop::stop);
                loop.runForever();
                loop.removeReader(counter);
                counter.close();
            }
            // end:reactor-counter
        });
        assertEquals("counted 3\n", printed);
    }

    @Test
    void reactorWatchExample() throws Exception {
        NativeSocket[] pair = NativeSocket.pair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM, 0);
        closer.add(pair[0]);
        closer.add(pair[1]);
        NativeSocket socket = pair[0];
        try (EventLoop loop = EventLoop.open()) {
            // snippet:reactor-watch
            Watch watch = loop.watch(socket, BaseSelector.EVENT_READ, (w, events) -> {
                if ((events & BaseSelector.EVENT_READ) != 0) { /* read */ }
                if ((events & BaseSelector.EVENT_WRITE) != 0) { /* flush, then: */ w.setInterest(BaseSelector.EVENT_READ); }
            });
            watch.setInterest(BaseSelector.EVENT_READ | BaseSelector.EVENT_WRITE);
            // end:reactor-watch
            loop.runOnce();   // the socket is writable: the handler turns write interest off again
            assertEquals(BaseSelector.EVENT_READ, watch.interest());
            watch.cancel();
        }
    }

    @Test
    void selectLayerEdgeTriggeredEpoll() throws Exception {
        Pipe pipe = closer.add(Pipe.open());
        int socketFd = pipe.readEnd().fileno();   // any fd: the doc's example has a socket
        pipe.writeEnd().write(ByteBuffer.wrap(new byte[] {1}));
        List<Integer> seen = new ArrayList<>();
        // snippet:select-epoll
        try (Epoll epoll = Epoll.open()) {
            epoll.register(socketFd, Epoll.EPOLLIN | Epoll.EPOLLET);          // edge-triggered
            for (FdEvent ready : epoll.poll(Duration.ofSeconds(1))) {
                // read ready.fd() until it would block: an edge is reported once
                // end:select-epoll
                seen.add(ready.fd());
                // snippet:select-epoll
            }
        }
        // end:select-epoll
        assertEquals(List.of(socketFd), seen);
    }

    @Test
    void selectLayerWaitReadyInPlace() throws Exception {
        EventFd eventFd = closer.add(EventFd.open());
        eventFd.write(1);
        try (Epoll epoll = Epoll.open()) {
            epoll.register(eventFd.fileno(), Epoll.EPOLLIN);
            // snippet:select-wait-ready
            int n = epoll.waitReady(TimeUnit.MILLISECONDS.toNanos(10), 256);
            for (int i = 0; i < n; i++) {
                handle(epoll.readyFd(i), epoll.readyEvents(i));
            }
            // end:select-wait-ready
        }
        assertEquals(List.of(eventFd.fileno() + ":" + Epoll.EPOLLIN), handled);
    }

    @Test
    void selectorsBasicExample() throws Exception {
        String printed = StdoutCapture.of(() -> {
            // snippet:selectors-basic
            try (BaseSelector selector = DefaultSelector.open();
                 EventFd events = EventFd.open();
                 Pipe pipe = Pipe.open()) {
                selector.register(events, BaseSelector.EVENT_READ, "eventfd");
                selector.register(pipe.readEnd(), BaseSelector.EVENT_READ, "pipe");
                events.write(1);
                for (ReadyKey ready : selector.select(Duration.ofSeconds(1))) {
                    System.out.println(ready.key().data() + " is readable");   // "eventfd is readable"
                }
            }
            // end:selectors-basic
        });
        assertEquals("eventfd is readable\n", printed);
    }

    @Test
    void selectorsWaitingForms() throws Exception {
        try (BaseSelector selector = DefaultSelector.open()) {
            EventFd events = closer.add(EventFd.open());
            selector.register(events, BaseSelector.EVENT_READ);
            events.write(1);
            Duration timeout = Duration.ofSeconds(1);
            // snippet:selectors-waiting
            List<ReadyKey> ready = selector.select(timeout);           // as Python: a new list per call
            int n = selector.select(timeout, (key, mask) -> handle(key, mask));   // allocation-free: a callback per ready key
            selector.wakeup();                                         // from any thread
            // end:selectors-waiting
            assertEquals(1, ready.size());
            assertEquals(1, n);
            assertEquals(List.of(events.fileno() + ":" + BaseSelector.EVENT_READ), handled);
            events.read();   // no longer readable: only the wakeup can end the next select early
            long start = System.nanoTime();
            selector.select(Duration.ofSeconds(10));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the wakeup ended the next select");
        }
    }

    private void handle(int fd, int events) {
        handled.add(fd + ":" + events);
    }

    private void handle(SelectorKey key, int events) {
        handle(key.fd(), events);
    }
}
