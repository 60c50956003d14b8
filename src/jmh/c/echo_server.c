/*
 * The C baseline of the end-to-end echo benchmarks: a single-threaded epoll echo server, written
 * the plain way (level-triggered, non-blocking sockets, one read buffer shared by all connections).
 *
 *   echo_server PORT     listen on 127.0.0.1:PORT (0: any free port)
 *
 * Prints "listening <port>" once it accepts connections. Exits when its stdin (a pipe or a terminal)
 * reaches end of file, so that it never outlives the benchmark that started it, even one that was
 * killed.
 *
 * A connection whose peer does not read fast enough keeps what could not be sent in its own buffer
 * and is not read again until that is flushed: the server never holds more than one read's worth
 * per connection, as the Java servers' back-pressure does.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define READ_BUFFER_SIZE (64 * 1024)
#define MAX_EVENTS 1024

/* What could not be sent at once, per fd; empty (NULL data) for almost every connection. */
struct pending {
    char *data;
    size_t offset;
    size_t length;
};

static struct pending *pendings;
static int max_fds;
static int epfd;
static char buffer[READ_BUFFER_SIZE];

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void set_interest(int fd, unsigned events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0) {
        die("epoll_ctl(MOD)");
    }
}

static void close_connection(int fd) {
    free(pendings[fd].data);
    pendings[fd] = (struct pending){0};
    close(fd); /* also removes it from the epoll set */
}

/* Sends what the connection still owes; returns 0 when all is sent, 1 if some is left, -1 on error. */
static int flush_pending(int fd) {
    struct pending *p = &pendings[fd];
    while (p->offset < p->length) {
        ssize_t n = send(fd, p->data + p->offset, p->length - p->offset, MSG_NOSIGNAL);
        if (n < 0) {
            return errno == EAGAIN || errno == EINTR ? 1 : -1;
        }
        p->offset += (size_t)n;
    }
    free(p->data);
    *p = (struct pending){0};
    return 0;
}

static void on_readable(int fd) {
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        }
        close_connection(fd);
        return;
    }
    ssize_t sent = send(fd, buffer, (size_t)n, MSG_NOSIGNAL);
    if (sent < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            close_connection(fd);
            return;
        }
        sent = 0;
    }
    if (sent < n) {
        struct pending *p = &pendings[fd];
        p->length = (size_t)(n - sent);
        p->offset = 0;
        p->data = malloc(p->length);
        if (p->data == NULL) {
            die("malloc");
        }
        memcpy(p->data, buffer + sent, p->length);
        set_interest(fd, EPOLLOUT);
    }
}

static void on_writable(int fd) {
    int left = flush_pending(fd);
    if (left < 0) {
        close_connection(fd);
    } else if (left == 0) {
        set_interest(fd, EPOLLIN);
    }
}

static void accept_waiting(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) {
                return;
            }
            die("accept4");
        }
        if (fd >= max_fds) {
            fprintf(stderr, "fd %d above the limit of %d\n", fd, max_fds);
            exit(1);
        }
        int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
            die("setsockopt(TCP_NODELAY)");
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            die("epoll_ctl(ADD)");
        }
    }
}

static void raise_fd_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) < 0) {
        die("getrlimit");
    }
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) < 0) {
        die("setrlimit");
    }
    max_fds = limit.rlim_cur > 1048576 ? 1048576 : (int)limit.rlim_cur;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    raise_fd_limit();
    pendings = calloc((size_t)max_fds, sizeof *pendings);
    if (pendings == NULL) {
        die("calloc");
    }

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        die("socket");
    }
    int one = 1;
    if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
        die("setsockopt(SO_REUSEADDR)");
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0) {
        die("bind");
    }
    if (listen(listener, 1024) < 0) {
        die("listen");
    }
    socklen_t length = sizeof address;
    if (getsockname(listener, (struct sockaddr *)&address, &length) < 0) {
        die("getsockname");
    }

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        die("epoll_create1");
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) < 0) {
        die("epoll_ctl(listener)");
    }
    ev = (struct epoll_event){.events = EPOLLIN, .data.fd = STDIN_FILENO};
    /* EPERM: stdin is a regular file such as /dev/null, which epoll cannot watch; run until killed. */
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev) < 0 && errno != EPERM) {
        die("epoll_ctl(stdin)");
    }
    printf("listening %d\n", ntohs(address.sin_port));
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                accept_waiting(listener);
            } else if (fd == STDIN_FILENO) {
                /* The benchmark closed our stdin (or died): the run is over. */
                ssize_t r = read(STDIN_FILENO, buffer, sizeof buffer);
                if (r <= 0) {
                    return 0;
                }
            } else if (events[i].events & EPOLLOUT) {
                on_writable(fd);
            } else {
                on_readable(fd); /* EPOLLIN, EPOLLHUP or EPOLLERR: recv tells which */
            }
        }
    }
}
