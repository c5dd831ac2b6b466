package io.jruntime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The effective uid, read from /proc/self/status (cheaper at start-up than binding geteuid through FFM). */
final class Identity {
    private Identity() {
    }

    static int euid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 0;
    }

    /** /proc/self/uid_map, or null when unreadable. */
    static String uidMap() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map"));
        } catch (IOException e) {
            return null;
        }
    }
}
