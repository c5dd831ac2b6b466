package io.jruntime.criu;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** A temporary directory removed with everything in it on close (JUnit's @TempDir cannot be kept on failure). */
final class TempDir implements AutoCloseable {
    final Path path;

    TempDir(String prefix) throws IOException {
        path = Files.createTempDirectory(prefix);
    }

    @Override
    public void close() throws IOException {
        if (Boolean.getBoolean("jruntime.criu.keepTemp")) {
            System.err.println("kept " + path);
            return;
        }
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
