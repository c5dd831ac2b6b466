package io.jruntime.core.userns;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes the uid/gid maps of a freshly made user namespace from the host side, while the helper waits.
 *
 * <p>As root (euid 0 in jruntime's own user namespace) every map is written directly. Rootless (euid != 0) the
 * kernel only lets us write one line mapping our own id, and only after denying setgroups for gid_map
 * (user_namespaces(7)); anything else (more lines, a size above 1, someone else's id) goes through the setuid
 * helpers {@code newuidmap}/{@code newgidmap} from shadow's uidmap package, which check the ranges against
 * /etc/subuid and /etc/subgid. With newgidmap, setgroups stays allowed, so supplementary groups work.
 */
public final class IdMapWriter {
    /** Where newuidmap/newgidmap are looked for, in order (engines often run us with no PATH). */
    static final List<String> HELPER_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

    private IdMapWriter() {
    }

    /**
     * True when a rootless caller with id {@code ownId} can write these map lines itself: exactly one line
     * "inside ownId 1".
     */
    public static boolean writableDirectly(List<String> lines, long ownId) {
        if (lines.size() != 1) {
            return false;
        }
        String[] f = lines.get(0).trim().split("\\s+");
        return f.length == 3 && f[1].equals(Long.toString(ownId)) && f[2].equals("1");
    }

    /** Setgroups must be denied when a rootless caller writes gid_map itself. */
    public static boolean setgroupsDenied(boolean rootlessEuid, List<String> gidMap, long egid) {
        return rootlessEuid && !gidMap.isEmpty() && writableDirectly(gidMap, egid);
    }

    /** The newuidmap/newgidmap binary, or null when not installed. */
    public static Path helper(String name) {
        for (String d : HELPER_DIRS) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param rootlessEuid we run with euid != 0: maps we may not write ourselves go through newuidmap/newgidmap
     */
    public static void write(int pid, List<String> uidMap, List<String> gidMap, boolean rootlessEuid, long euid,
                             long egid) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        if (!uidMap.isEmpty()) {
            if (!rootlessEuid || writableDirectly(uidMap, euid)) {
                writeFile(proc.resolve("uid_map"), String.join("\n", uidMap) + "\n", "linux.uidMappings");
            } else {
                runHelper("newuidmap", "/etc/subuid", pid, uidMap, "linux.uidMappings");
            }
        }
        if (!gidMap.isEmpty()) {
            if (!rootlessEuid) {
                writeFile(proc.resolve("gid_map"), String.join("\n", gidMap) + "\n", "linux.gidMappings");
            } else if (writableDirectly(gidMap, egid)) {
                writeFile(proc.resolve("setgroups"), "deny", "linux.gidMappings");
                writeFile(proc.resolve("gid_map"), String.join("\n", gidMap) + "\n", "linux.gidMappings");
            } else {
                runHelper("newgidmap", "/etc/subgid", pid, gidMap, "linux.gidMappings");
            }
        }
    }

    private static void runHelper(String name, String subFile, int pid, List<String> lines, String field) {
        Path bin = helper(name);
        if (bin == null) {
            throw new JRuntimeException(field + ": mapping more than your own id needs " + name
                    + " (Debian/Ubuntu package uidmap) and a range in " + subFile + "; it is not installed");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.add(Integer.toString(pid));
        for (String l : lines) {
            for (String f : l.trim().split("\\s+")) {
                cmd.add(f);
            }
        }
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JRuntimeException(field + ": " + name + " did not finish within 30s");
            }
            if (p.exitValue() != 0) {
                throw new JRuntimeException(field + ": " + String.join(" ", cmd) + " failed (exit " + p.exitValue()
                        + "): " + new String(out, StandardCharsets.UTF_8).strip()
                        + " (are the host ids within your range in " + subFile + "?)");
            }
        } catch (IOException e) {
            throw new JRuntimeException(field + ": cannot run " + bin + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException(field + ": interrupted while running " + name, e);
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
