package io.jruntime.criu;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation and copying shared by the request records. */
final class Args {
    /** CLONE_NEWNET, the only namespace CRIU accepts in empty_ns. */
    static final int CLONE_NEWNET = 0x40000000;

    private Args() {
    }

    static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : List.copyOf(in);
    }

    /** Immutable copy that keeps the caller's order (CRIU applies external mappings in order). */
    static <K, V> Map<K, V> map(Map<K, V> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        for (Map.Entry<K, V> e : in.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("null key or value in " + in);
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }

    static void images(Path dir, int fd, String what) {
        if (dir == null && fd < 0) {
            throw new IllegalArgumentException(what + " needs an images directory (path or fd)");
        }
    }

    static void logFile(String name, int level) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("CRIU log file must be a plain file name inside the work directory: " + name);
        }
        if (level < 0 || level > 4) {
            throw new IllegalArgumentException("CRIU log level must be 0..4: " + level);
        }
    }

    static void emptyNs(int flags) {
        if ((flags & ~CLONE_NEWNET) != 0) {
            throw new IllegalArgumentException("CRIU supports only CLONE_NEWNET in emptyNs, got 0x" + Integer.toHexString(flags));
        }
    }
}
