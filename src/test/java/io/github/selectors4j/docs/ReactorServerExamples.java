package io.github.selectors4j.docs;

import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.EventLoopGroup;
import io.github.selectors4j.reactor.Server;
import java.io.IOException;
import java.time.Duration;

/**
 * The server examples of docs/reactor.md, compiled but not run: they serve a fixed port until
 * stopped. The same servers run under test in {@code ServerEchoTest}, {@code EventLoopGroupTest}
 * and the echo-server sample's test.
 */
final class ReactorServerExamples {

    private ReactorServerExamples() {
    }

    static void echoServer() throws IOException {
        // snippet:server
        try (EventLoop loop = EventLoop.open()) {
            Server server = Server.listen(loop, IPv4SocketAddress.loopback(7000),
                    () -> (connection, data) -> connection.write(data));     // echo
            System.out.println("listening on " + server.address());
            loop.runForever();
        }
        // end:server
    }

    static void echoServerOnEveryCore() throws IOException, InterruptedException {
        // snippet:group
        try (EventLoopGroup group = EventLoopGroup.start(Runtime.getRuntime().availableProcessors())) {
            group.serve(IPv4SocketAddress.loopback(7000), () -> (connection, data) -> connection.write(data));
            Thread.sleep(Duration.ofHours(1).toMillis());   // the loops serve on their own threads
        }
        // end:group
    }
}
