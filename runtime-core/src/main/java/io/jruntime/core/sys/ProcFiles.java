package io.jruntime.core.sys;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading procfs files. An integer sysctl (/proc/sys/kernel/cap_last_cap, pid_max, ...) answers only a read at
 * offset 0, and procfs reports size 0, so Files.readString (which reads a first byte, then the rest) gets "4" for
 * "40". A buffered reader asks for 8 KiB in one read.
 */
public final class ProcFiles {
    private ProcFiles() {
    }

    /** The first line of a procfs file, trimmed. */
    public static String firstLine(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line = r.readLine();
            return line == null ? "" : line.trim();
        }
    }
}
