package io.github.selectors4j.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.net.IPv4SocketAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections that have nothing to do with a fault, on the loop the fault hits: an echo
 * {@link Server} and {@link EchoClient}s on one loop, each checking every byte that comes back.
 * A fault test starts them, injects its fault once they are half-way, and checks afterwards that
 * every one of them was served to the end, before and after the fault.
 */
final class Bystanders implements AutoCloseable {

    private final Server server;
    private final List<EchoClient> clients = new ArrayList<>();
    private final int messages;
    private final AtomicLong closeErrors = new AtomicLong();
    private int echoedAtFault = -1;

    private Bystanders(EventLoop loop, int count, int messages, long seed) throws IOException {
        this.messages = messages;
        this.server = Server.listen(loop, IPv4SocketAddress.loopback(0), () -> new ConnectionHandler() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                connection.write(data);
            }

            @Override
            public void onClose(Connection connection, Throwable error) {
                if (error != null) {
                    closeErrors.incrementAndGet();
                }
            }
        });
        try {
            for (int i = 0; i < count; i++) {
                clients.add(new EchoClient(loop, i, server.address(), messages, 512, 16 * 1024, seed + i));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts {@code count} clients of {@code messages} echoed messages (0.5 to 16 KiB each) on {@code loop}. */
    static Bystanders start(EventLoop loop, int count, int messages, long seed) throws IOException {
        return new Bystanders(loop, count, messages, seed);
    }

    /** Messages echoed so far, all clients together. */
    int echoed() {
        return clients.stream().mapToInt(EchoClient::messagesEchoed).sum();
    }

    /** Whether the clients are half-way: the moment to inject a fault. */
    boolean halfWay() {
        return echoed() >= clients.size() * messages / 2;
    }

    /** Notes the progress at the fault, so that {@link #assertServedThroughout()} can tell what came after. */
    void faultInjected() {
        echoedAtFault = echoed();
    }

    /** Whether every client is done (served to the end, or failed). */
    boolean finished() {
        return clients.stream().allMatch(EchoClient::finished);
    }

    /** Every client got every message back intact, some of them after the fault; the server saw no error. */
    void assertServedThroughout() {
        for (EchoClient client : clients) {
            assertTrue(client.succeeded(), "bystander " + client.id + ": " + client.failure());
            assertEquals(messages, client.messagesEchoed());
        }
        assertTrue(echoedAtFault >= 0, "the fault was not injected while the bystanders ran");
        assertTrue(echoed() > echoedAtFault, "nothing was echoed after the fault");
        assertEquals(0, closeErrors.get(), "bystander connections closed with an error");
    }

    /** Bytes echoed and compared, all clients together. */
    long bytesVerified() {
        return clients.stream().mapToLong(EchoClient::bytesEchoed).sum();
    }

    /** Messages echoed after the fault. */
    int echoedAfterFault() {
        return echoed() - echoedAtFault;
    }

    /** Closes the server (and its connections) and the clients that are still open. */
    @Override
    public void close() {
        for (EchoClient client : clients) {
            if (!client.finished()) {
                client.close();
            }
        }
        server.close();
    }
}
