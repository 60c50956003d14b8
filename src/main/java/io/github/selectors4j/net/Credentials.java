package io.github.selectors4j.net;

/**
 * A process's credentials as the kernel reports them: {@code struct ucred}, carried by
 * {@link SocketOptions#SO_PEERCRED} and by {@link ControlMessage#credentials} messages.
 *
 * <pre>{@code
 * Credentials peer = unixSocket.getOption(SocketOptions.SO_PEERCRED);
 * if (peer.uid() != 0) { ... refuse ... }
 * }</pre>
 *
 * @param pid the process id
 * @param uid the user id
 * @param gid the group id
 */
public record Credentials(int pid, int uid, int gid) {

    /** {@code sizeof(struct ucred)}: three 32-bit ids. */
    public static final int SIZE = 12;
}
