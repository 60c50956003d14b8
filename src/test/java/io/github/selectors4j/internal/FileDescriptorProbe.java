package io.github.selectors4j.internal;

import java.io.FileInputStream;

/** Run in a child JVM by FileObjectsTest: prints the fd of a java.io.FileDescriptor, or the error. */
public final class FileDescriptorProbe {

    private FileDescriptorProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileInputStream devNull = new FileInputStream("/dev/null")) {
            try {
                System.out.println("fd=" + FileObjects.fd(devNull.getFD()));
            } catch (UnsupportedOperationException e) {
                System.out.println("refused: " + e.getMessage());
            }
            System.out.println("stdout fd=" + FileObjects.fd(java.io.FileDescriptor.out));
        }
    }
}
