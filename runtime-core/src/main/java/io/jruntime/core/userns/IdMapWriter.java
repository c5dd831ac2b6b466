package io.jruntime.core.userns;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the uid/gid maps of a freshly made user namespace from the host side, while the helper waits.
 * Unprivileged callers must deny setgroups before writing gid_map (user_namespaces(7)).
 */
public final class IdMapWriter {
    private IdMapWriter() {
    }

    public static void write(int pid, List<String> uidMap, List<String> gidMap, boolean denySetgroups) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        if (denySetgroups) {
            writeFile(proc.resolve("setgroups"), "deny", "linux.gidMappings");
        }
        if (!uidMap.isEmpty()) {
            writeFile(proc.resolve("uid_map"), String.join("\n", uidMap) + "\n", "linux.uidMappings");
        }
        if (!gidMap.isEmpty()) {
            writeFile(proc.resolve("gid_map"), String.join("\n", gidMap) + "\n", "linux.gidMappings");
        }
    }

    private static void writeFile(Path p, String content, String field) {
        try {
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new JRuntimeException(field + ": cannot write " + p + " (" + content.strip().replace('\n', ';')
                    + "): " + e.getMessage(), e);
        }
    }
}
