/**
 * Pollable file descriptors the JDK cannot create: {@link io.github.selectors4j.fd.Pipe} and
 * {@link io.github.selectors4j.fd.EventFd}. Every fd created here is non-blocking and close-on-exec
 * unless the caller passes other flags, and each type is a
 * {@link io.github.selectors4j.FileDescriptorLike} that registers directly in a selector.
 */
package io.github.selectors4j.fd;
