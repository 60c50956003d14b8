/**
 * The analogue of Python's {@code select} module: each class is a thin, faithful wrapper of one
 * kernel facility, with every flag.
 *
 * <ul>
 *   <li>{@link io.github.selectors4j.select.Select} and {@link io.github.selectors4j.select.FdSet} —
 *       {@code select(2)};</li>
 *   <li>{@link io.github.selectors4j.select.Poll} — {@code poll(2)};</li>
 *   <li>{@link io.github.selectors4j.select.Epoll} — Linux {@code epoll(7)}, including edge-triggered
 *       and one-shot registrations;</li>
 *   <li>{@link io.github.selectors4j.select.Kqueue} and {@link io.github.selectors4j.select.KEvent} —
 *       {@code kqueue(2)} of macOS and the BSDs, and of libkqueue on Linux where it is installed.</li>
 * </ul>
 *
 * <p>Python's list-returning calls are here ({@code poll()} returns {@code List<FdEvent>}); beside
 * each is an allocation-free form, {@code waitReady}, that leaves the results in place to be read
 * with {@code readyFd(i)} and {@code readyEvents(i)} (kqueue: {@code readyIdent(i)},
 * {@code readyFilter(i)}...). Every wait retries {@code EINTR} with the remaining time and rounds its
 * timeout up to the kernel's resolution, so it never returns early.
 */
package io.github.selectors4j.select;
