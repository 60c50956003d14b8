package io.github.selectors4j.bench;

import java.io.IOException;
import java.util.List;

/** "End to end: many connections": 1000 connections, one 64-byte message in flight on each. */
final class EchoManyConnectionsSection implements Section {

    static final EchoLoad LOAD = new EchoLoad(1000, 1, 64);

    @Override
    public String id() {
        return "echo-many";
    }

    @Override
    public String heading() {
        return "## End to end: many connections";
    }

    @Override
    public List<BenchCase> cases() {
        return EchoComparison.cases(LOAD);
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        return heading() + "\n\n" + """
                How many messages per second an echo server process handles over 1000 TCP loopback
                connections, each with one 64-byte message in flight, sent by a load client written in C:
                ours (`EventLoop` and `Server`), a JDK `Selector` loop, Netty's native epoll transport, and
                a plain C epoll loop. With many connections ready at once, each wait of the loop returns a
                batch of events, so this measures the per-message cost of the loop under load more than
                the latency of a wakeup.
                """ + EchoComparison.render(results, charts, """
                - 1000 connections, opened before the warmup (every process raises its soft limit on open
                  files to the hard limit: the JVMs do so themselves, the C programs call `setrlimit`); on each,
                  the client sends a 64-byte message and, when all 64 bytes are back, the next one. A
                  message is one echoed message; the rate counts them over all connections.
                """, "message", "echo-many",
                "1000 connections over TCP loopback: messages per second");
    }
}
