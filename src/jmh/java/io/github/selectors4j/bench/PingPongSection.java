package io.github.selectors4j.bench;

import static io.github.selectors4j.bench.Markdown.bytes;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** "Event loop: ping-pong over TCP loopback": {@link PingPongBenchmark} on the three loops. */
final class PingPongSection implements Section {

    @Override
    public String id() {
        return "ping-pong";
    }

    @Override
    public String heading() {
        return "## Event loop: ping-pong over TCP loopback";
    }

    @Override
    public List<BenchCase> cases() {
        return LoopComparison.cases(PingPongBenchmark.class, "roundTrip");
    }

    @Override
    public String render(Results results, Charts charts) throws IOException {
        StringBuilder md = new StringBuilder(heading()).append("\n\n");
        md.append("""
                The time of one round trip of a 64-byte message over one TCP loopback connection whose two
                ends both live on one event loop thread, on our `EventLoop`, on an equivalent loop over the
                JDK's `Selector`, and on Netty's native epoll transport; and what each round trip allocates.
                """);
        md.append(Markdown.quickWarning(results.settings()));
        md.append("""

                ### What is measured

                - One connection over `127.0.0.1`, `TCP_NODELAY` on both ends. The client end sends 64 bytes;
                  the server end echoes what it reads; when all 64 bytes are back, the client end sends them
                  again. Both ends are registered with the same loop, so each round trip is two sends, two
                  receives and the loop's waits and dispatch, with no hand-off between threads.
                - One benchmark operation is one round trip: each invocation runs a batch of 1000 round trips
                  on the loop thread while the benchmark thread waits (parked) for the batch, and JMH divides
                  by 1000. Setup runs one batch first, so a broken exchange fails before anything is measured.
                - **`selectors4j`**: `EventLoop.open()` (epoll); the server end is a `Server` whose
                  `ConnectionHandler` calls `connection.write(data)`; the client end is a `NativeSocket`
                  watched with `loop.addReader`. A batch starts with `loop.callSoonThreadsafe`.
                - **`jdk-nio`**: one thread looping on `selector.select(Consumer)` with two non-blocking
                  `SocketChannel`s, direct buffers and the key's attachment choosing the end; a batch starts
                  through a volatile flag and `selector.wakeup()`.
                - **`netty-epoll`**: Netty 4.1's `EpollEventLoopGroup(1)` with `EpollServerSocketChannel` and
                  `EpollSocketChannel`; the server end is Netty's canonical echo handler (`write` in
                  `channelRead`, `flush` in `channelReadComplete`), the client end sends pooled direct
                  buffers with `writeAndFlush(buffer, voidPromise())`. A batch starts with
                  `eventLoop().execute`. Every fork runs with `-Dio.netty.leakDetection.level=disabled`, as
                  Netty is run in production benchmarks (the sampling leak detector allocates).

                """);
        md.append(Markdown.howItWasRun(results, PingPongBenchmark.class));
        md.append("\n### Results\n\n");
        md.append(LoopComparison.table(results, Map.of(
                LoopComparison.OURS, "`EventLoop` + `Server`/`Connection`, `addReader`",
                LoopComparison.JDK, "`Selector.select(Consumer)` loop",
                LoopComparison.NETTY, "`EpollEventLoopGroup(1)`, echo handler"), "round trip", null));
        md.append('\n').append(Markdown.everyRound(results));
        md.append("\n### Reading the numbers\n\n").append(Markdown.READING_THE_NUMBERS);
        md.append(LoopComparison.verdicts(results, "round trip", null));
        double ours = results.medianBytes(LoopComparison.OURS);
        md.append("- Allocation: our loop allocates ").append(bytes(ours)).append(" B per round trip, that is ")
                .append(bytes(ours / 2)).append(" B per echoed message");
        if (ours < 1) {
            md.append(": no allocation per message (").append(Markdown.BELOW_ONE_BYTE)
                    .append("). What remains is spread over whole batches and iterations: the batch's start, one task "
                            + "handed to the loop per 1000 round trips, and JMH's own bookkeeping; the note "
                            + "\"Allocation of the event loop, thread by thread\" below counts each thread separately");
        }
        md.append(". The JDK loop allocates ").append(bytes(results.medianBytes(LoopComparison.JDK)))
                .append(" B and Netty ").append(bytes(results.medianBytes(LoopComparison.NETTY)))
                .append(" B per round trip.\n");
        return md.toString();
    }
}
