package io.jruntime.criu;

import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Fds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory fds of one request. CRIU takes the images and work directories as fds of the requesting process
 * (see {@link CriuSession}); we open them O_DIRECTORY|O_CLOEXEC for the duration of the call, or use the caller's.
 */
final class Dirs implements AutoCloseable {
    private final List<Integer> opened = new ArrayList<>();
    private final String operation;

    Dirs(String operation) {
        this.operation = operation;
    }

    /**
     * The fd to send for a directory: the caller's fd when given, else ours, opened from path.
     *
     * @param create create the directory (0700, with parents) when it does not exist
     * @param what   "images directory" / "work directory", for messages
     */
    int open(Path path, int callerFd, boolean create, String what) {
        if (callerFd >= 0) {
            return callerFd;
        }
        if (path == null) {
            return -1;
        }
        if (!Files.exists(path)) {
            if (!create) {
                throw new CriuException(CriuException.Kind.INVALID_REQUEST, operation,
                        "CRIU " + operation + ": the " + what + " " + path + " does not exist"
                                + ("images directory".equals(what) ? " (nothing was checkpointed there)" : ""));
            }
            try {
                Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new CriuException(CriuException.Kind.INVALID_REQUEST, operation,
                        "CRIU " + operation + ": cannot create the " + what + " " + path + ": " + e.getMessage());
            }
        }
        if (!Files.isDirectory(path)) {
            throw new CriuException(CriuException.Kind.INVALID_REQUEST, operation,
                    "CRIU " + operation + ": the " + what + " " + path + " is not a directory");
        }
        try {
            int fd = Fds.open(path.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
            opened.add(fd);
            return fd;
        } catch (SyscallException e) {
            throw new CriuException(CriuException.Kind.INVALID_REQUEST, operation,
                    "CRIU " + operation + ": cannot open the " + what + ": " + e.getMessage());
        }
    }

    /** The log file's path: the work directory (path, else what the fd points to) plus the log name. */
    static Path logPath(Path workDir, int workDirFd, Path imagesDir, int imagesDirFd, String logFile) {
        Path dir = workDir;
        if (dir == null && workDirFd >= 0) {
            dir = fdPath(workDirFd);
        }
        if (dir == null && workDirFd < 0) {
            dir = imagesDir != null ? imagesDir : fdPath(imagesDirFd);
        }
        return dir == null ? null : dir.resolve(logFile);
    }

    private static Path fdPath(int fd) {
        if (fd < 0) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Removes a log left by an earlier run so its errors are never mistaken for this run's. */
    static void removeStaleLog(Path log) {
        if (log != null) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // CRIU truncates it anyway once it gets that far
            }
        }
    }

    @Override
    public void close() {
        for (int fd : opened) {
            try {
                Fds.close(fd);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        opened.clear();
    }
}
