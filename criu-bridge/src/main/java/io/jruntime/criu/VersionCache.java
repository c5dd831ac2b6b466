package io.jruntime.criu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Remembers the version of a CRIU binary between jruntime invocations, keyed by the binary's path, size and
 * modification time: asking CRIU costs a whole criu process start (it probes the kernel each time on hosts where
 * /run is not a tmpfs), on every checkpoint and restore. A changed binary simply misses the cache.
 */
final class VersionCache {
    private static final Path FILE = cacheDir().resolve("jruntime-criu-version");

    /** $XDG_RUNTIME_DIR only when it is an absolute path: an empty or relative one (Podman's env, a test's) would
     * put the cache in whatever directory jruntime was started from. */
    private static Path cacheDir() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of("/run");
    }

    private VersionCache() {
    }

    private static String key(CriuBinary binary) throws IOException {
        BasicFileAttributes a = Files.readAttributes(binary.path(), BasicFileAttributes.class);
        return binary.path() + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    }

    static CriuVersion get(CriuBinary binary) {
        try {
            String[] lines = Files.readString(FILE).split("\n");
            if (lines.length >= 2 && lines[0].equals(key(binary))) {
                return CriuVersion.parse(lines[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no cache, or an unreadable one: ask CRIU
        }
        return null;
    }

    static void put(CriuBinary binary, CriuVersion v) {
        try {
            Path tmp = FILE.resolveSibling(FILE.getFileName() + "." + ProcessHandle.current().pid());
            Files.writeString(tmp, key(binary) + "\n" + v.major() + "." + v.minor() + "." + v.sublevel() + "\n");
            Files.move(tmp, FILE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // not writable here: every call asks CRIU
        }
    }
}
