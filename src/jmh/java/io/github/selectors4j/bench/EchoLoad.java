package io.github.selectors4j.bench;

/**
 * What the echo client asks of a server: how many connections, how many messages in flight on
 * each (1 is a ping-pong), and how big they are.
 *
 * @param connections connections open at once
 * @param outstanding messages in flight per connection
 * @param size        bytes per message
 */
record EchoLoad(int connections, int outstanding, int size) {

    EchoLoad {
        if (connections < 1 || outstanding < 1 || size < 1) {
            throw new IllegalArgumentException("connections, outstanding and size must be positive: " + this);
        }
    }
}
