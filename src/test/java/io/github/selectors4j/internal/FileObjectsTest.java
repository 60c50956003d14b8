package io.github.selectors4j.internal;

import static io.github.selectors4j.testing.Asserts.assertContains;
import static io.github.selectors4j.testing.Asserts.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.selectors4j.AlreadyClosedException;
import io.github.selectors4j.FileDescriptorLike;
import io.github.selectors4j.testing.ChildJvm;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which objects are file objects, and how a FileDescriptor's number is (and is not) read. */
class FileObjectsTest {

    @Test
    void integersFileDescriptorLikesAndStandardDescriptors() {
        assertEquals(5, FileObjects.fd(5));
        assertEquals(9, FileObjects.fd((FileDescriptorLike) () -> 9));
        assertEquals(0, FileObjects.fd(FileDescriptor.in));
        assertEquals(2, FileObjects.fd(FileDescriptor.err));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file descriptor: -2", () -> FileObjects.fd(-2));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file object: 1.5", () -> FileObjects.fd(1.5));
    }

    @Test
    void aClosedObjectHasNoFdButIsStillAFileObject() {
        FileDescriptorLike closed = () -> {
            throw new AlreadyClosedException("Thing");
        };
        assertEquals(FileObjects.NO_FD, FileObjects.tryFd(closed));
        assertEquals(FileObjects.NO_FD, FileObjects.tryFd((FileDescriptorLike) () -> -1));
        assertThrowsWithMessage(IllegalArgumentException.class, "Invalid file object", () -> FileObjects.tryFd(new Object()));
    }

    @Test
    void aFileDescriptorIsReadWhenJavaIoIsOpenedToUs() throws Exception {
        // The test JVM runs with --add-opens java.base/java.io=ALL-UNNAMED.
        try (FileInputStream devNull = new FileInputStream("/dev/null")) {
            int fd = FileObjects.fd(devNull.getFD());
            assertEquals("/dev/null", io.github.selectors4j.testing.OpenFds.target(fd));
        }
        FileDescriptor invalid = new FileDescriptor();
        assertEquals(FileObjects.NO_FD, FileObjects.tryFd(invalid));
    }

    @Test
    void withoutTheFlagTheErrorNamesIt() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of("--enable-native-access=ALL-UNNAMED"),
                List.of(FileDescriptorProbe.class.getName()), 60);
        assertEquals(0, result.exitCode(), result.output());
        assertContains("refused: Reading the fd of a java.io.FileDescriptor needs the JVM flag "
                + "--add-opens java.base/java.io=ALL-UNNAMED", result.stdout());
        assertContains("stdout fd=1", result.stdout());

        ChildJvm.Result opened = ChildJvm.run(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED"),
                List.of(FileDescriptorProbe.class.getName()), 60);
        assertTrue(opened.stdout().matches("(?s)fd=\\d+\\n.*"), opened.output());
    }
}
