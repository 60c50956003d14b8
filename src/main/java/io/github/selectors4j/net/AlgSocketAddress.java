package io.github.selectors4j.net;

import io.github.selectors4j.internal.SockaddrCodec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An {@code AF_ALG} address ({@code struct sockaddr_alg}): Python's
 * {@code (type, name[, feat[, mask]])} tuple, naming an algorithm of the kernel's crypto API.
 *
 * <pre>{@code
 * new AlgSocketAddress("hash", "sha256", 0, 0);        // bind, accept, send data, read the digest
 * new AlgSocketAddress("skcipher", "cbc(aes)", 0, 0);
 * }</pre>
 *
 * <p>The kernel does not implement {@code getsockname} for {@code AF_ALG} ({@code EOPNOTSUPP}): this
 * address is only ever passed to {@code bind}. Strings are encoded as UTF-8 (algorithm names are
 * ASCII) and must fit their fixed fields with the terminating NUL.
 *
 * @param type    {@code salg_type}, e.g. {@code "hash"}, {@code "skcipher"}, {@code "aead"},
 *                {@code "rng"}: at most 13 bytes, no NUL
 * @param name    {@code salg_name}, e.g. {@code "sha256"}, {@code "hmac(sha256)"}: at most 63 bytes,
 *                no NUL
 * @param feature {@code salg_feat}, {@code CRYPTO_ALG_*} flags the algorithm must have (unsigned)
 * @param mask    {@code salg_mask}, which of those flags to compare (unsigned)
 */
public record AlgSocketAddress(String type, String name, int feature, int mask) implements NativeSocketAddress {

    /** {@code sizeof(struct sockaddr_alg)}. */
    public static final int SIZE = 88;
    /** The longest type, in bytes: {@code salg_type[14]} less its NUL. */
    public static final int MAX_TYPE = 13;
    /** The longest name, in bytes: {@code salg_name[64]} less its NUL. */
    public static final int MAX_NAME = 63;

    // Offsets in struct sockaddr_alg, /usr/include/linux/if_alg.h:
    // __u16 salg_family; __u8 salg_type[14]; __u32 salg_feat; __u32 salg_mask; __u8 salg_name[64];
    private static final int TYPE = 2;
    private static final int TYPE_FIELD = 14;
    private static final int FEAT = 16;
    private static final int MASK = 20;
    private static final int NAME = 24;
    private static final int NAME_FIELD = 64;

    /**
     * Validates the components.
     *
     * @param type    at most 13 UTF-8 bytes, no NUL
     * @param name    at most 63 UTF-8 bytes, no NUL
     * @param feature any value
     * @param mask    any value
     * @throws IllegalArgumentException naming a string that is too long or holds a NUL
     */
    public AlgSocketAddress {
        check(Objects.requireNonNull(type, "type"), "salg_type", MAX_TYPE);
        check(Objects.requireNonNull(name, "name"), "salg_name", MAX_NAME);
    }

    /**
     * An address with no feature requirements, as Python's {@code (type, name)}.
     *
     * @param type e.g. {@code "hash"}
     * @param name e.g. {@code "sha256"}
     * @throws IllegalArgumentException naming a string that is too long or holds a NUL
     */
    public AlgSocketAddress(String type, String name) {
        this(type, name, 0, 0);
    }

    private static void check(String value, String field, int max) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must not contain NUL: \"" + value.replace("\0", "\\0") + "\"");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw new IllegalArgumentException(field + " too long: \"" + value + "\" is " + bytes + " bytes (at most " + max + ")");
        }
    }

    static AlgSocketAddress decode(ByteBuffer buffer, int offset, int length) {
        // The fixed part and at least the name's terminator: alg_bind refuses anything shorter.
        SockaddrCodec.check(buffer, offset, length, AddressFamily.AF_ALG, NAME + 1, "AF_ALG sockaddr");
        String type = cString(buffer, offset + TYPE, TYPE_FIELD, "salg_type");
        // The name may be shorter than its 64-byte field (struct sockaddr_alg_new is variable-length).
        String name = cString(buffer, offset + NAME, Math.min(NAME_FIELD, length - NAME), "salg_name");
        return new AlgSocketAddress(type, name, buffer.getInt(offset + FEAT), buffer.getInt(offset + MASK));
    }

    /** Reads a NUL-terminated UTF-8 string from a field of {@code size} bytes, never past it. */
    private static String cString(ByteBuffer buffer, int start, int size, String field) {
        int end = 0;
        while (end < size && buffer.get(start + end) != 0) {
            end++;
        }
        if (end == size) {
            throw new IllegalArgumentException(field + " is not NUL-terminated within its " + size + " bytes");
        }
        byte[] bytes = new byte[end];
        buffer.get(start, bytes);
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not UTF-8", e);
        }
    }

    @Override
    public int family() {
        return AddressFamily.AF_ALG;
    }

    @Override
    public int encode(ByteBuffer buffer, int offset) {
        Objects.checkFromIndexSize(offset, SIZE, Objects.requireNonNull(buffer, "buffer").limit());
        ByteBuffer out = SockaddrCodec.nativeView(buffer);
        // Zeroing also writes both strings' terminators and clears the rest of their fields.
        for (int i = 0; i < SIZE; i++) {
            out.put(offset + i, (byte) 0);
        }
        SockaddrCodec.putHeader(out, offset, AddressFamily.AF_ALG, SIZE);
        out.put(offset + TYPE, type.getBytes(StandardCharsets.UTF_8));
        out.putInt(offset + FEAT, feature);
        out.putInt(offset + MASK, mask);
        out.put(offset + NAME, name.getBytes(StandardCharsets.UTF_8));
        return SIZE;
    }

    /**
     * A readable form.
     *
     * @return e.g. {@code alg[hash, sha256]}, with {@code feat}/{@code mask} in hex when set
     */
    @Override
    public String toString() {
        String flags = feature == 0 && mask == 0 ? ""
                : ", feat=0x" + Integer.toHexString(feature) + ", mask=0x" + Integer.toHexString(mask);
        return "alg[" + type + ", " + name + flags + "]";
    }
}
