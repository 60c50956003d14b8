/**
 * The vocabulary every selectors4j layer shares: {@link io.github.selectors4j.FileDescriptorLike}
 * (what may be registered), {@link io.github.selectors4j.ErrnoException} (what a failed system
 * call raises), and the few specific errors of registration and use after close.
 */
package io.github.selectors4j;
