package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four echo servers the end-to-end benchmarks compare, each a process of its own listening on
 * {@code 127.0.0.1}, each with one event loop thread.
 */
enum EchoServer {

    /** Ours: {@link EventLoopEchoServer}. */
    SELECTORS4J("selectors4j", "`EventLoop` + `Server.listen`, handler calling `connection.write(data)`",
            EventLoopEchoServer.class),
    /** The JDK: {@link NioEchoServer}. */
    JDK_NIO("jdk-nio", "`Selector.select(Consumer)` loop, one direct read buffer", NioEchoServer.class),
    /** Netty: {@link NettyEchoServer}. */
    NETTY_EPOLL("netty-epoll", "`EpollEventLoopGroup(1)`, canonical echo handler", NettyEchoServer.class),
    /** Plain C: {@code src/jmh/c/echo_server.c}. */
    C_EPOLL("c-epoll", "`echo_server.c`: level-triggered epoll, one read buffer", null);

    /** The flags of every Java server; Netty's leak detector would otherwise sample and allocate. */
    static final List<String> JVM_ARGS = List.of("--enable-native-access=ALL-UNNAMED",
            "-Dio.netty.leakDetection.level=disabled");

    /** The C source of {@link #C_EPOLL}, in {@code src/jmh/c}. */
    static final String C_SOURCE = "echo_server";

    private final String label;
    private final String description;
    private final Class<?> main;

    EchoServer(String label, String description, Class<?> main) {
        this.label = label;
        this.description = description;
        this.main = main;
    }

    /** How reports name it. */
    String label() {
        return label;
    }

    /** What runs, in Markdown, for the results table. */
    String description() {
        return description;
    }

    /** Whether it is a JVM, which answers {@code alloc} (see {@link EchoServerControl}). */
    boolean isJava() {
        return main != null;
    }

    /**
     * The command that starts it.
     *
     * @param port the port to listen on, 0 for any free one
     */
    List<String> command(int port) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (main == null) {
            Path binary = CProgram.compile(C_SOURCE);
            command.add(binary.toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_ARGS);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
        }
        command.add(Integer.toString(port));
        return command;
    }
}
