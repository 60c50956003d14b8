/**
 * The native layer, not exported from the module: the jnr-ffi bindings ({@code LibC},
 * {@code SocketLib}, {@code LinuxFdLib}, {@code KqueueLib}), native memory owned explicitly
 * ({@code NativeBuffer}), struct layouts decided once per platform ({@code Platform},
 * {@code KqueueAbi}), and the one place errno becomes an exception ({@code Errno}). Nothing outside
 * this package imports {@code jnr.*}.
 */
package io.github.selectors4j.internal;
