package io.github.selectors4j.bench;

import java.io.IOException;
import java.util.List;

/**
 * An end-to-end echo section: the four {@link EchoServer}s under one {@link EchoLoad}, reported by
 * {@link EchoComparison}. The two sections differ only in their load and their words.
 *
 * @param id           the section's id, also its chart's file name
 * @param heading      its second-level heading
 * @param load         what the C client asks of each server
 * @param introduction the paragraph under the heading
 * @param what         the section's own "What is measured" items
 * @param unit         what one message is called in the tables
 * @param chartTitle   the title of the rate chart
 */
record EchoSection(String id, String heading, EchoLoad load, String introduction, String what, String unit,
        String chartTitle) implements Section {

    /** One connection, one 64-byte message in flight. */
    static final EchoSection PING_PONG = new EchoSection("echo-ping-pong", "## End to end: ping-pong over TCP loopback",
            new EchoLoad(1, 1, 64), """
            How many round trips per second one TCP loopback connection carries between a load client
            written in C and an echo server process: ours (`EventLoop` and `Server`), a JDK `Selector`
            loop, Netty's native epoll transport, and a plain C epoll loop. Unlike the event-loop
            ping-pong above, client and server are separate processes on separate CPUs, as in a real
            deployment, so each message also wakes the other CPU.
            """, """
            - One connection; the client sends a 64-byte message and, when all 64 bytes are back, the
              next one: one message in flight, so the rate is one over the round-trip time, and each
              side is idle while the other works.
            """, "round trip", "Ping-pong over TCP loopback: round trips per second");

    /** 1000 connections, one 64-byte message in flight on each. */
    static final EchoSection MANY_CONNECTIONS = new EchoSection("echo-many", "## End to end: many connections",
            new EchoLoad(1000, 1, 64), """
            How many messages per second an echo server process handles over 1000 TCP loopback
            connections, each with one 64-byte message in flight, sent by a load client written in C:
            ours (`EventLoop` and `Server`), a JDK `Selector` loop, Netty's native epoll transport, and
            a plain C epoll loop. With many connections ready at once, each wait of the loop returns a
            batch of events, so this measures the per-message cost of the loop under load more than
            the latency of a wakeup.
            """, """
            - 1000 connections, opened before the warmup (every process raises its soft limit on open
              files to the hard limit: the JVMs do so themselves, the C programs call `setrlimit`); on each,
              the client sends a 64-byte message and, when all 64 bytes are back, the next one. A
              message is one echoed message; the rate counts them over all connections.
            """, "message", "1000 connections over TCP loopback: messages per second");

    @Override
    public List<BenchCase> cases() {
        return EchoComparison.cases(load);
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        return heading + "\n\n" + introduction + EchoComparison.render(results, charts, what, unit, id, chartTitle);
    }
}
