package io.jruntime.criu.migrate;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File chores of moving a checkpoint: private staging directories, removing trees, running tar. */
final class LocalFiles {
    private LocalFiles() {
    }

    /** A fresh 0700 directory in {@code parent} (images hold the container's memory: nobody else reads them). */
    static Path privateDir(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new JRuntimeException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Creates dir (which must not exist) with mode 0700. */
    static void createPrivateDir(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new JRuntimeException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a tree without following symlinks (a rootfs is full of them); a missing tree is fine. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new JRuntimeException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Best effort, for rollback paths that already report another error. */
    static void deleteQuietly(Path dir, Throwable into) {
        try {
            deleteTree(dir);
        } catch (RuntimeException e) {
            into.addSuppressed(e);
        }
    }

    /**
     * Runs a host tool (tar, mv) to completion; a failure quotes its stderr. GNU tar keeps owners, modes, device
     * nodes, hard links and xattrs of a rootfs, which is what an archive of one needs.
     */
    static void run(String what, List<String> cmd) {
        try {
            Path err = Files.createTempFile("jruntime-tool", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
                p.waitFor();
                if (p.exitValue() != 0) {
                    throw new JRuntimeException(what + ": " + String.join(" ", cmd) + " failed (exit " + p.exitValue()
                            + "): " + Files.readString(err).strip());
                }
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new JRuntimeException(what + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException(what + ": interrupted", e);
        }
    }

    static List<String> tar(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*"));
        cmd.addAll(List.of(args));
        return cmd;
    }

}
