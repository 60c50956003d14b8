/**
 * Pollable file descriptors the JDK cannot create: {@link io.github.selectors4j.fd.Pipe},
 * {@link io.github.selectors4j.fd.EventFd}, and the Linux fds that turn timers, signals,
 * file-system events and process exits into readiness: {@link io.github.selectors4j.fd.TimerFd},
 * {@link io.github.selectors4j.fd.SignalFd}, {@link io.github.selectors4j.fd.Inotify} and
 * {@link io.github.selectors4j.fd.PidFd}. Every fd created here is non-blocking and close-on-exec
 * unless the caller passes other flags, and each type is a
 * {@link io.github.selectors4j.FileDescriptorLike} that registers directly in a selector.
 */
package io.github.selectors4j.fd;
