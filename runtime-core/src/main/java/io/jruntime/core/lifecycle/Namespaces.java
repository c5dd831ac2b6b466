package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;

import java.util.List;
import java.util.Map;

/** config.json namespace types, their /proc/PID/ns names and clone(2) flags. */
public final class Namespaces {
    public static final long CLONE_NEWTIME = 0x00000080L;
    public static final long CLONE_NEWNS = 0x00020000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;

    /** Spec type to /proc/PID/ns file name. */
    private static final Map<String, String> PROC_NAME = Map.of(
            "user", "user", "mount", "mnt", "pid", "pid", "network", "net", "ipc", "ipc", "uts", "uts",
            "cgroup", "cgroup", "time", "time");
    private static final Map<String, Long> FLAG = Map.of(
            "user", CLONE_NEWUSER, "mount", CLONE_NEWNS, "pid", CLONE_NEWPID, "network", CLONE_NEWNET,
            "ipc", CLONE_NEWIPC, "uts", CLONE_NEWUTS, "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    /** Join order: the user namespace first so it owns the rest; mount last-but-one is not required by setns. */
    public static final List<String> ORDER = List.of("user", "ipc", "uts", "network", "pid", "mount", "cgroup", "time");

    private Namespaces() {
    }

    public static String procName(String type) {
        String n = PROC_NAME.get(type);
        if (n == null) {
            throw new InvalidArgumentException("unknown namespace type \"" + type + "\"");
        }
        return n;
    }

    public static long flag(String type) {
        procName(type);
        return FLAG.get(type);
    }
}
