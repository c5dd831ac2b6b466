package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Small, exact file operations on cgroupfs and the error texts that go with them. */
final class CgroupFiles {
    private CgroupFiles() {
    }

    /** Writes value with one write(2) to an existing file (never creates one; O_TRUNC as runc, ignored by cgroupfs). */
    static void writeRaw(Path file, String value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /**
     * Writes and, on failure, throws an error naming the resource field, the value and the file:
     * {@code linux.resources.memory.limit: cannot write 1048576 to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: Device or resource busy}.
     */
    static void write(String field, Path dir, String file, String value) {
        Path p = dir.resolve(file);
        try {
            writeRaw(p, value);
        } catch (IOException e) {
            throw new CgroupWriteException(field, value, p, reason(e), kind(e), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new JRuntimeException("cannot read " + file + ": " + reason(e), e);
        }
    }

    static String readTrim(Path file) {
        return read(file).trim();
    }

    /** Reads a file or returns null if it does not exist or cannot be read. */
    static String readOptional(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses an unsigned 64-bit value ("max" = -1 i.e. 2^64-1). Returns 0 for a missing file. */
    static long readU64(Path file) {
        String s = readOptional(file);
        if (s == null) {
            return 0;
        }
        return parseU64(s.trim());
    }

    static long parseU64(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        if (s.equals("max")) {
            return -1L;
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            try {
                long v = Long.parseLong(s);
                return v < 0 ? 0 : v;
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }

    /** "key value" lines (memory.stat, cpu.stat, oom_control, memory.events, cgroup.events). */
    static Map<String, Long> readKeyValues(Path file) {
        Map<String, Long> m = new LinkedHashMap<>();
        String s = readOptional(file);
        if (s == null) {
            return m;
        }
        for (String line : s.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                m.put(kv[0], parseU64(kv[1]));
            }
        }
        return m;
    }

    static Set<String> readControllers(Path file) {
        String s = readOptional(file);
        Set<String> set = new LinkedHashSet<>();
        if (s == null) {
            return set;
        }
        for (String c : s.trim().split("\\s+")) {
            if (!c.isEmpty()) {
                set.add(c);
            }
        }
        return set;
    }

    /** The strerror-like reason of an I/O failure. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? a.getReason() : "Permission denied";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : String.valueOf(f.getMessage());
        }
        return String.valueOf(e.getMessage());
    }

    /** Rough errno class of an I/O failure. */
    enum Kind { NOT_FOUND, EXISTS, PERMISSION, BUSY, INVALID, OTHER }

    static Kind kind(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Kind.NOT_FOUND;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Kind.EXISTS;
        }
        if (e instanceof AccessDeniedException) {
            return Kind.PERMISSION;
        }
        String r = reason(e);
        if (r.contains("Operation not permitted") || r.contains("Permission denied") || r.contains("Read-only file system")) {
            return Kind.PERMISSION;
        }
        if (r.contains("Device or resource busy") || r.contains("Directory not empty")) {
            return Kind.BUSY;
        }
        if (r.contains("Invalid argument")) {
            return Kind.INVALID;
        }
        if (r.contains("No such file or directory")) {
            return Kind.NOT_FOUND;
        }
        return Kind.OTHER;
    }
}
