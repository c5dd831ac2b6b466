package io.jruntime.core.sys;

import io.jruntime.core.cgroups.CgroupHost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The process context of the process jruntime acts for, carried explicitly instead of read from (or set on) this
 * JVM's process: under {@code jruntime daemon} many callers are served at once by one process, so its own working
 * directory, umask and environment belong to none of them.
 *
 * <p>Credentials are not part of it: the daemon serves only a caller {@code PeerCheck} found identical to itself
 * in uid, gid, capabilities, namespaces, root and seccomp, so the daemon's own credentials are the caller's.
 *
 * @param pid   the caller's pid, 0 for this process
 * @param cwd   the caller's working directory, absolute (the daemon checks it against /proc/PID/cwd at request
 *              time); relative paths of the command line were resolved against it by the CLI
 * @param umask the caller's umask: applied to the files jruntime creates for it (pid file, log file); host-side
 *              hooks are started by the caller itself and inherit it
 * @param env   the caller's environment: what a hook without env of its own gets, USER, XDG_RUNTIME_DIR
 */
public record CallerContext(int pid, Path cwd, int umask, Map<String, String> env) {
    public CallerContext {
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("caller cwd must be absolute: " + cwd);
        }
        env = Map.copyOf(env);
    }

    /** This process: its working directory, umask (from /proc/self/status, not by setting it) and environment. */
    public static CallerContext ofThisProcess() {
        return new CallerContext(0, Path.of("").toAbsolutePath(), umaskOfThisProcess(), System.getenv());
    }

    /** The environment as "NAME=value" entries (what a host-side hook without env of its own gets). */
    public List<String> envList() {
        List<String> out = new ArrayList<>(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    /**
     * The cgroup layout with the caller's own cgroups: the base of a relative cgroupsPath. Read when asked (only
     * create and restore make cgroups), from /proc/PID/cgroup for another process.
     */
    public CgroupHost cgroups() {
        return pid == 0 ? CgroupHost.detect() : CgroupHost.detect().withOwnCgroupsOf(pid);
    }

    /** mode with the caller's umask applied, as open(2) or mkdir(2) in the caller would create it. */
    public int masked(int mode) {
        return mode & ~umask & 07777;
    }

    /** The permissions open(2) with mode 0666 gives a new file in the caller (what Go's os.Create gives). */
    public Set<PosixFilePermission> newFilePermissions() {
        int m = masked(0666);
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((m & (1 << bit)) != 0) {
                s.add(order[bit]);
            }
        }
        return s;
    }

    static int umaskOfThisProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: read it the old way
        }
        int old = Processes.umask(022); // kernels before 4.7 lack the Umask line; jruntime is single-threaded here
        Processes.umask(old);
        return old;
    }
}
