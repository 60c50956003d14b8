/** A first look: which backend DefaultSelector picked, and fds of several kinds becoming ready. */

import io.github.selectors4j.fd.EventFd;
import io.github.selectors4j.fd.Pipe;
import io.github.selectors4j.selectors.BaseSelector;
import io.github.selectors4j.selectors.DefaultSelector;
import io.github.selectors4j.selectors.ReadyKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The tour: one selector watching an eventfd signalled from another thread, a pipe that receives
 * a message, and that pipe hanging up when its writer closes. Prints each readiness as it comes and
 * exits by itself.
 */
public class Tour {

    public static void main(String[] args) throws Exception {
        try (BaseSelector selector = DefaultSelector.open();
             EventFd wakeups = EventFd.open();
             Pipe pipe = Pipe.open()) {
            System.out.println("DefaultSelector chose the " + selector.backend().displayName() + " backend");

            selector.register(wakeups, BaseSelector.EVENT_READ, "eventfd");
            selector.register(pipe.readEnd(), BaseSelector.EVENT_READ, "pipe");

            // Another thread makes things happen: an eventfd signal, a message, then a hang-up.
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    wakeups.write(3);
                    Thread.sleep(100);
                    pipe.writeEnd().write(ByteBuffer.wrap("hello through a pipe".getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(100);
                    pipe.writeEnd().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "producer");
            producer.start();

            long start = System.nanoTime();
            boolean pipeOpen = true;
            while (pipeOpen) {
                for (ReadyKey ready : selector.select(Duration.ofSeconds(5))) {
                    String what = (String) ready.key().data();
                    String at = String.format("%4d ms", (System.nanoTime() - start) / 1_000_000);
                    if (what.equals("eventfd")) {
                        System.out.println(at + "  eventfd fd " + ready.key().fd() + " readable: counter was " + wakeups.read());
                    } else {
                        ByteBuffer buffer = ByteBuffer.allocate(256);
                        int n = pipe.readEnd().read(buffer);
                        if (n < 0) {
                            System.out.println(at + "  pipe fd " + ready.key().fd() + " readable: end of stream (the writer closed)");
                            selector.unregister(pipe.readEnd());
                            pipeOpen = false;
                        } else {
                            System.out.println(at + "  pipe fd " + ready.key().fd() + " readable: \""
                                    + new String(buffer.array(), 0, n, StandardCharsets.UTF_8) + "\"");
                        }
                    }
                }
            }
            producer.join();
            System.out.println("done: every fd was reported exactly when it became ready");
        }
    }
}
