package io.github.selectors4j.net;

import static io.github.selectors4j.testing.Asserts.assertContains;
import static io.github.selectors4j.testing.Asserts.assertSameElements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.selectors4j.NotRegisteredException;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import io.github.selectors4j.testing.ChildJvm;
import io.github.selectors4j.testing.Closer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * JDK channels in a selectors4j selector. The test JVM runs with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}; a child JVM shows the error without it.
 */
class JdkChannelsTest {

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void socketServerDatagramAndPipeChannelsRegisterAndBecomeReady() throws Exception {
        BaseSelector selector = closer.add(DefaultSelector.open());
        ServerSocketChannel server = closer.add(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
        SocketChannel client = closer.add(SocketChannel.open(server.getLocalAddress()));
        DatagramChannel datagrams = closer.add(DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
        Pipe pipe = Pipe.open();
        closer.add(pipe.source());
        closer.add(pipe.sink());
        for (java.nio.channels.SelectableChannel channel : List.of(server, client, datagrams, pipe.source())) {
            channel.configureBlocking(false);
        }
        selector.register(server, BaseSelector.EVENT_READ, "server");
        selector.register(client, BaseSelector.EVENT_WRITE, "client");
        selector.register(datagrams, BaseSelector.EVENT_READ, "datagram");
        selector.register(pipe.source(), BaseSelector.EVENT_READ, "pipe");

        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.send(ByteBuffer.wrap(new byte[] {1}), datagrams.getLocalAddress());
        }
        pipe.sink().write(ByteBuffer.wrap(new byte[] {2}));

        List<Object> ready = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ready.size() < 4 && System.nanoTime() < deadline) {
            for (ReadyKey key : selector.select(Duration.ofSeconds(1))) {
                ready.add(key.key().data());
                selector.unregister(key.key().fileobj());
            }
        }
        assertSameElements(List.of("server", "client", "datagram", "pipe"), ready);

        // A closed channel is found by identity, as any closed file object; once unregistered it is
        // an object without an fd, as a closed socket is in Python.
        selector.register(datagrams, BaseSelector.EVENT_READ);
        datagrams.close();
        selector.unregister(datagrams);
        assertThrows(IllegalArgumentException.class, () -> selector.getKey(datagrams));
        assertThrows(NotRegisteredException.class, () -> selector.getKey(client));
    }

    /** Run in a child JVM without the flag: registering a channel must name it. */
    public static final class WithoutFlag {
        public static void main(String[] args) throws Exception {
            try (BaseSelector selector = DefaultSelector.open(); java.nio.channels.Pipe.SourceChannel source = java.nio.channels.Pipe.open().source()) {
                selector.register(source, BaseSelector.EVENT_READ);
                System.out.println("registered");
            } catch (UnsupportedOperationException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    @Test
    void withoutTheFlagTheErrorNamesIt() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of("--enable-native-access=ALL-UNNAMED"), List.of(WithoutFlag.class.getName()), 60);
        assertEquals(0, result.exitCode(), result.output());
        assertContains("refused: Registering a JDK channel needs the JVM flag --add-exports java.base/sun.nio.ch=ALL-UNNAMED",
                result.stdout());
    }
}
