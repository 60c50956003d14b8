package io.github.selectors4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The two servers the {@code http} section drives with {@code wrk}. */
enum HttpTarget {

    /** Ours: the {@code samples/http-hello} sample, one {@code EventLoop}. */
    SELECTORS4J("selectors4j"),
    /** nginx, one process, answering every request with the same body from its configuration. */
    NGINX("nginx");

    /** The sample that {@link #SELECTORS4J} runs. */
    static final String SAMPLE = "http-hello";
    /** What both servers answer to {@code GET /}. */
    static final String BODY = "Hello, world!\n";

    private final String label;

    HttpTarget(String label) {
        this.label = label;
    }

    /** How reports name it. */
    String label() {
        return label;
    }

    /**
     * nginx's configuration, for a port and a directory of its own: one process that serves
     * itself (no master, no workers), errors to stderr (which the run quotes if it fails), no
     * access log, every file it might write in the directory,
     * {@code return 200} of {@link #BODY} as {@code text/plain} like the sample, without the
     * version in its {@code Server} header, and keep-alive connections that last as the sample's
     * do (nginx otherwise closes one after 1000 requests).
     */
    static String nginxConfig(int port, Path dir) {
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                user root;
                error_log stderr;
                pid %2$s/nginx.pid;
                events {
                    worker_connections 1024;
                }
                http {
                    access_log off;
                    server_tokens off;
                    keepalive_requests 1000000000;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    server {
                        listen 127.0.0.1:%1$d;
                        location / {
                            default_type text/plain;
                            return 200 "%3$s";
                        }
                    }
                }
                """.formatted(port, dir, BODY.replace("\n", "\\n"));
    }

    /** Starts a fresh server process pinned to the server CPU. */
    ServerProcess start() throws IOException, InterruptedException {
        if (this == SELECTORS4J) {
            return ServerProcess.sample(SAMPLE);
        }
        RequiredTools.require(RequiredTools.NGINX);
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("bench-nginx");
        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, nginxConfig(port, dir), StandardCharsets.UTF_8);
        // -e: errors found before the configuration is read go to stderr too, not to /var/log.
        return ServerProcess.program("nginx",
                List.of("nginx", "-e", "stderr", "-c", config.toString(), "-p", dir + "/"), port, dir);
    }
}
