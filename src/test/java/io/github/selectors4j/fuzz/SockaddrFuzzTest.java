package io.github.selectors4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.selectors4j.net.NativeSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every address decoder, through the one entry point that dispatches on the family field
 * ({@code NativeSocketAddress.decode}): whatever bytes a kernel or a caller hands it, it returns an
 * address or refuses with IllegalArgumentException, never reads outside its range, and what it
 * returns encodes back to bytes that decode to the same value.
 *
 * <p>Regression seeds (one valid sockaddr of each family, and any crash Jazzer ever found) are in
 * {@code src/test/resources/io/github/selectors4j/fuzz/SockaddrFuzzTestInputs/decode/}.
 */
class SockaddrFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] raw) {
        FuzzInput input = FuzzInput.of(raw);
        NativeSocketAddress address;
        try {
            address = NativeSocketAddress.decode(input.buffer, input.offset, input.length);
        } catch (IllegalArgumentException refused) {
            return;
        }
        address.toString();
        address.hashCode();
        ByteBuffer encoded = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
        int length = address.encode(encoded, 0);
        NativeSocketAddress again = NativeSocketAddress.decode(encoded, 0, length);
        assertEquals(address, again, () -> "re-encoded address of input " + input + " decodes differently");
    }
}
