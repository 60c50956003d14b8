/*
 * The load client of the end-to-end echo benchmarks: one thread, epoll, the same for every server,
 * so that a comparison between runs is a comparison between the servers.
 *
 *   echo_client PORT CONNECTIONS OUTSTANDING SIZE WARMUP_MS MEASURE_MS
 *
 * Opens CONNECTIONS connections to 127.0.0.1:PORT and keeps OUTSTANDING messages of SIZE bytes in
 * flight on each (OUTSTANDING = 1 is a ping-pong): whenever a whole message has come back, the
 * next one is sent. Every byte that comes back is checked against what was sent; a wrong byte, a
 * byte never sent, or a connection the server closes ends the run with a message on stderr and
 * exit status 1.
 *
 * It runs WARMUP_MS, prints "measuring", runs MEASURE_MS, then prints one line
 *
 *   result messages=N seconds=S rate=R p50_ns=A p99_ns=B client_cpu=C
 *
 * where N is the messages that came back whole during the measurement, R = N / S per second, A
 * and B the median and 99th percentile of the round-trip time of those messages (from the moment
 * the client was ready to send one to the moment its last byte was read, clocked once per
 * epoll_wait return, to within 1.6 %), and C the CPU time this client used, as a fraction of one
 * CPU, so that a reader can tell when the client rather than the server was the bottleneck.
 * It then stops sending and waits for its stdin to end (immediately with </dev/null) before it exits
 * and its connections close.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * The byte stream each connection sends is a window into one pseudo-random pattern of prime
 * length, starting at an offset of its own, so that a byte echoed on the wrong connection, out of
 * order or twice does not match. The pattern is stored twice in a row, so that any window of up to
 * PATTERN bytes is contiguous.
 */
#define PATTERN 131071u
#define STRIDE 7919u
#define READ_SIZE (64 * 1024)
#define MAX_EVENTS 1024

/* Latency histogram: exact below 128 ns, then 64 buckets per power of two (1.6 % wide). */
#define SUB_BUCKETS 64
#define BUCKETS (128 + 64 * SUB_BUCKETS)

struct connection {
    int fd;
    int writing;           /* EPOLLOUT is in the interest set */
    uint32_t start;        /* where its stream starts in the pattern */
    uint64_t sent;         /* bytes of the stream sent */
    uint64_t received;     /* bytes of the stream received and checked */
    uint64_t due;          /* bytes that should have been sent: OUTSTANDING messages ahead */
    uint64_t *ready_at;    /* per message in flight (ring of OUTSTANDING): when it was due */
};

static unsigned char pattern[2 * PATTERN];
static unsigned char buffer[READ_SIZE];
static uint64_t histogram[BUCKETS];
static struct connection *connections;
static int epfd;
static int outstanding;
static uint64_t message_size;

static void fail(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("echo_client: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
            + (double)usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static int bucket_of(uint64_t ns) {
    if (ns < 128) {
        return (int)ns;
    }
    int exponent = 63 - __builtin_clzll(ns); /* >= 7 */
    int sub = (int)((ns >> (exponent - 6)) & (SUB_BUCKETS - 1));
    int bucket = 128 + (exponent - 7) * SUB_BUCKETS + sub;
    return bucket < BUCKETS ? bucket : BUCKETS - 1;
}

/* The middle of a bucket, in ns. */
static double bucket_value(int bucket) {
    if (bucket < 128) {
        return bucket;
    }
    int exponent = (bucket - 128) / SUB_BUCKETS + 7;
    int sub = (bucket - 128) % SUB_BUCKETS;
    double low = (double)((uint64_t)(SUB_BUCKETS + sub) << (exponent - 6));
    return low + (double)(1ull << (exponent - 6)) / 2;
}

static double percentile(uint64_t count, double fraction) {
    uint64_t rank = (uint64_t)(fraction * (double)count);
    if ((double)rank < fraction * (double)count || rank == 0) {
        rank++; /* the smallest rank covering the fraction */
    }
    uint64_t seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
        seen += histogram[b];
        if (seen >= rank) {
            return bucket_value(b);
        }
    }
    return bucket_value(BUCKETS - 1);
}

static void set_writing(struct connection *c, uint32_t index, int writing) {
    struct epoll_event ev = {.events = EPOLLIN | (writing ? EPOLLOUT : 0), .data.u32 = index};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
        fail("epoll_ctl(MOD): %s", strerror(errno));
    }
    c->writing = writing;
}

/* Sends what is due, as far as the socket takes it; asks for EPOLLOUT for the rest. */
static void send_due(struct connection *c, uint32_t index) {
    while (c->sent < c->due) {
        uint64_t length = c->due - c->sent;
        if (length > PATTERN) {
            length = PATTERN;
        }
        const unsigned char *from = pattern + (c->start + c->sent) % PATTERN;
        ssize_t n = send(c->fd, from, length, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                break;
            }
            fail("send on connection %u: %s", index, strerror(errno));
        }
        c->sent += (uint64_t)n;
    }
    int more = c->sent < c->due;
    if (more != c->writing) {
        set_writing(c, index, more);
    }
}

/* Reads, checks every byte, and counts the messages that came back whole; returns that count. */
static uint64_t receive(struct connection *c, uint32_t index, uint64_t now, int measuring) {
    ssize_t n = recv(c->fd, buffer, sizeof buffer, 0);
    if (n == 0) {
        fail("the server closed connection %u after %llu bytes", index, (unsigned long long)c->received);
    }
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return 0;
        }
        fail("recv on connection %u: %s", index, strerror(errno));
    }
    if (c->received + (uint64_t)n > c->sent) {
        fail("connection %u received %llu bytes but sent only %llu", index,
                (unsigned long long)(c->received + (uint64_t)n), (unsigned long long)c->sent);
    }
    const unsigned char *expected = pattern + (c->start + c->received) % PATTERN;
    if (memcmp(buffer, expected, (size_t)n) != 0) {
        ssize_t at = 0;
        while (buffer[at] == expected[at]) {
            at++;
        }
        fail("connection %u: byte %llu of the stream came back as 0x%02x, sent as 0x%02x", index,
                (unsigned long long)(c->received + (uint64_t)at), buffer[at], expected[at]);
    }
    uint64_t before = c->received / message_size;
    c->received += (uint64_t)n;
    uint64_t after = c->received / message_size;
    for (uint64_t m = before; m < after; m++) {
        uint64_t *slot = &c->ready_at[m % (uint64_t)outstanding];
        if (measuring) {
            histogram[bucket_of(now - *slot)]++;
        }
        *slot = now; /* the slot now belongs to message m + OUTSTANDING, due from now on */
    }
    c->due += (after - before) * message_size;
    send_due(c, index);
    return after - before;
}

static void fill_pattern(void) {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i < PATTERN; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        pattern[i] = (unsigned char)(state >> 24);
    }
    memcpy(pattern + PATTERN, pattern, PATTERN);
}

static void raise_fd_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

static long argument(char **argv, int i, const char *name, long min, long max) {
    char *end;
    errno = 0;
    long value = strtol(argv[i], &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max) {
        fail("%s must be a number from %ld to %ld, not \"%s\"", name, min, max, argv[i]);
    }
    return value;
}

static void open_connections(int count, int port, uint64_t started) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connections = calloc((size_t)count, sizeof *connections);
    uint64_t *slots = calloc((size_t)count * (size_t)outstanding, sizeof *slots);
    if (connections == NULL || slots == NULL) {
        fail("out of memory");
    }
    for (int i = 0; i < count; i++) {
        struct connection *c = &connections[i];
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c->fd < 0) {
            fail("socket for connection %d: %s", i, strerror(errno));
        }
        /* A blocking connect: done when the kernel has queued it, whether or not the server accepted. */
        if (connect(c->fd, (struct sockaddr *)&address, sizeof address) < 0) {
            fail("connect %d to 127.0.0.1:%d: %s", i, port, strerror(errno));
        }
        int one = 1;
        if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0
                || fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0) {
            fail("configuring connection %d: %s", i, strerror(errno));
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
            fail("epoll_ctl(ADD): %s", strerror(errno));
        }
        c->start = (uint32_t)(((uint64_t)i * STRIDE) % PATTERN);
        c->ready_at = slots + (size_t)i * (size_t)outstanding;
        for (int m = 0; m < outstanding; m++) {
            c->ready_at[m] = started;
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS OUTSTANDING SIZE WARMUP_MS MEASURE_MS\n", argv[0]);
        return 2;
    }
    int port = (int)argument(argv, 1, "PORT", 1, 65535);
    int count = (int)argument(argv, 2, "CONNECTIONS", 1, 1000000);
    outstanding = (int)argument(argv, 3, "OUTSTANDING", 1, 1000000);
    message_size = (uint64_t)argument(argv, 4, "SIZE", 1, 1 << 30);
    long warmup_ms = argument(argv, 5, "WARMUP_MS", 0, 3600000);
    long measure_ms = argument(argv, 6, "MEASURE_MS", 1, 3600000);

    fill_pattern();
    raise_fd_limit();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        fail("epoll_create1: %s", strerror(errno));
    }
    uint64_t started = now_ns();
    open_connections(count, port, started);
    for (int i = 0; i < count; i++) {
        connections[i].due = (uint64_t)outstanding * message_size;
        send_due(&connections[i], (uint32_t)i);
    }

    uint64_t measure_start = now_ns() + (uint64_t)warmup_ms * 1000000u;
    uint64_t measure_end = measure_start + (uint64_t)measure_ms * 1000000u;
    int measuring = 0;
    uint64_t messages = 0;
    double cpu_start = 0;
    uint64_t now = now_ns();
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        if (!measuring && now >= measure_start) {
            measuring = 1;
            measure_start = now;
            measure_end = now + (uint64_t)measure_ms * 1000000u;
            cpu_start = cpu_seconds();
            printf("measuring\n");
            fflush(stdout);
        }
        if (measuring && now >= measure_end) {
            break;
        }
        uint64_t deadline = measuring ? measure_end : measure_start;
        int timeout = (int)((deadline - now + 999999) / 1000000);
        int n = epoll_wait(epfd, events, MAX_EVENTS, timeout);
        if (n < 0 && errno != EINTR) {
            fail("epoll_wait: %s", strerror(errno));
        }
        now = now_ns();
        for (int i = 0; i < n; i++) {
            uint32_t index = events[i].data.u32;
            struct connection *c = &connections[index];
            if (events[i].events & EPOLLOUT) {
                send_due(c, index);
            }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                messages += receive(c, index, now, measuring) * (uint64_t)measuring;
            }
        }
    }
    double seconds = (double)(now - measure_start) / 1e9;
    double cpu = (cpu_seconds() - cpu_start) / seconds;
    if (messages == 0) {
        fail("no message came back whole during the %.3f s measured", seconds);
    }
    printf("result messages=%llu seconds=%.6f rate=%.1f p50_ns=%.0f p99_ns=%.0f client_cpu=%.3f\n",
            (unsigned long long)messages, seconds, (double)messages / seconds, percentile(messages, 0.50),
            percentile(messages, 0.99), cpu);
    fflush(stdout);
    /* Keep the connections open, and idle, until stdin ends: the benchmark reads the server's CPU time
       and allocation after the result, and closing a thousand connections first would add their
       teardown to the figures. */
    while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
    }
    return 0;
}
