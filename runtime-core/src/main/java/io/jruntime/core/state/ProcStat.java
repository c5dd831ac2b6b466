package io.jruntime.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/PID/stat: the start time (field 22) identifies a process across pid reuse; state 'Z' is dead. */
public final class ProcStat {
    private ProcStat() {
    }

    /** Start time in clock ticks since boot, or -1 if the process does not exist. */
    public static long startTime(int pid) {
        String[] f = fieldsAfterComm(pid);
        return f == null ? -1 : Long.parseLong(f[19]);
    }

    /** The session id (field 6), or -1 if the process does not exist. */
    public static int session(int pid) {
        String[] f = fieldsAfterComm(pid);
        return f == null ? -1 : Integer.parseInt(f[3]);
    }

    /** True if pid exists, is not a zombie, and (when expectedStart >= 0) started at that time. */
    public static boolean alive(int pid, long expectedStart) {
        String[] f = fieldsAfterComm(pid);
        if (f == null) {
            return false;
        }
        if (f[0].equals("Z") || f[0].equals("X")) {
            return false;
        }
        return expectedStart <= 0 || Long.parseLong(f[19]) == expectedStart;
    }

    /** Fields 3.. of /proc/pid/stat (index 0 is the state letter); the comm field may contain spaces and ')'. */
    private static String[] fieldsAfterComm(int pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        return s.substring(close + 2).trim().split(" ");
    }
}
