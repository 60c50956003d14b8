package io.github.selectors4j.bench;

import java.io.IOException;
import java.util.List;

/** "End to end: ping-pong over TCP loopback": one connection, one 64-byte message in flight. */
final class EchoPingPongSection implements Section {

    static final EchoLoad LOAD = new EchoLoad(1, 1, 64);

    @Override
    public String id() {
        return "echo-ping-pong";
    }

    @Override
    public String heading() {
        return "## End to end: ping-pong over TCP loopback";
    }

    @Override
    public List<BenchCase> cases() {
        return EchoComparison.cases(LOAD);
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        return heading() + "\n\n" + """
                How many round trips per second one TCP loopback connection carries between a load client
                written in C and an echo server process: ours (`EventLoop` and `Server`), a JDK `Selector`
                loop, Netty's native epoll transport, and a plain C epoll loop. Unlike the event-loop
                ping-pong above, client and server are separate processes on separate CPUs, as in a real
                deployment, so each message also wakes the other CPU.
                """ + EchoComparison.render(results, charts, """
                - One connection; the client sends a 64-byte message and, when all 64 bytes are back, the
                  next one: one message in flight, so the rate is one over the round-trip time, and each
                  side is idle while the other works.
                """, "round trip", "echo-ping-pong",
                "Ping-pong over TCP loopback: round trips per second");
    }
}
