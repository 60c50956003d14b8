package io.github.selectors4j.docs;

// snippet:imports
import io.github.selectors4j.net.IPv4SocketAddress;
import io.github.selectors4j.reactor.EventLoop;
import io.github.selectors4j.reactor.Server;
import java.time.Duration;
// end:imports

import java.io.IOException;

/**
 * The README's echo server, compiled but not run: it serves a fixed port for a minute. Servers
 * like it run under test in {@code ServerEchoTest} and in the echo-server sample's test.
 */
final class ReadmeEchoServerExample {

    private ReadmeEchoServerExample() {
    }

    static void serve() throws IOException {
        // snippet:echo
        try (EventLoop loop = EventLoop.open()) {               // one thread, any fds, timers, signals
            Server.listen(loop, IPv4SocketAddress.loopback(7000),
                    () -> (connection, data) -> connection.write(data));
            loop.callLater(Duration.ofMinutes(1), loop::stop);
            loop.runForever();
        }
        // end:echo
    }
}
