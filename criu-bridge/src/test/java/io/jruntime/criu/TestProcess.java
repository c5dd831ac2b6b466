package io.jruntime.criu;

import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.Spawn;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A plain process tree for CRIU to dump: {@code sh} in its own session (setsid, so it is not a "shell job") with
 * stdio on /dev/null (CRIU cannot dump pipes or files to outside processes without extra options), writing an
 * increasing counter to a file every 0.1 s. It is our child, so we reap it.
 */
class TestProcess implements AutoCloseable {
    final Path dir;
    final Path counter;
    int pid;

    TestProcess(Path dir, int pid) {
        this.dir = dir;
        this.counter = dir.resolve("counter");
        this.pid = pid;
    }

    static TestProcess startCounter(Path dir) {
        String script = "cd '" + dir + "' && i=0; while :; do i=$((i+1)); echo $i > counter; sleep 0.1; done";
        int devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
        try {
            int pid = Spawn.spawn("/bin/sh", List.of("sh", "-c", script), List.of("PATH=/usr/bin:/bin"),
                    Map.of(0, devNull, 1, devNull, 2, devNull), true);
            return new TestProcess(dir, pid);
        } finally {
            Fds.close(devNull);
        }
    }

    /**
     * The same counter as the init of a new PID namespace ({@code unshare --pid --fork setsid sh ...}), so that a
     * restore creates a new namespace and never clashes with the original's pids. {@link #pid} is the namespace's
     * init (what to dump); {@link #helper} is the unshare process (our child) waiting for it.
     */
    static TestProcess startCounterInPidNs(Path dir) throws InterruptedException {
        String script = "cd '" + dir + "' && i=0; while :; do i=$((i+1)); echo $i > counter; sleep 0.1; done";
        int devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
        int unshare;
        try {
            unshare = Spawn.spawn("/usr/bin/unshare", List.of("unshare", "--pid", "--fork", "setsid", "sh", "-c", script),
                    List.of("PATH=/usr/bin:/bin"), Map.of(0, devNull, 1, devNull, 2, devNull), true);
        } finally {
            Fds.close(devNull);
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            try {
                String children = Files.readString(Path.of("/proc/" + unshare + "/task/" + unshare + "/children")).strip();
                if (!children.isEmpty()) {
                    TestProcess p = new TestProcess(dir, Integer.parseInt(children.split("\\s+")[0]));
                    p.helper = unshare;
                    return p;
                }
            } catch (IOException e) {
                break;
            }
            Thread.sleep(10);
        }
        killAndReap(unshare);
        throw new AssertionError("unshare --pid --fork did not start its child");
    }

    /** Our child that must be reaped besides the tree (the unshare process of a pid-namespace tree), or -1. */
    int helper = -1;

    /** The counter's current value, or -1 while there is none (or it is being rewritten). */
    long read() {
        try {
            String s = Files.readString(counter).strip();
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Waits until the counter reaches at least n. */
    long awaitAtLeast(long n, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long v;
        while ((v = read()) < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("counter stayed at " + v + " (wanted >= " + n + ") for " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
        return v;
    }

    boolean alive() {
        return pid > 0 && Processes.kill(pid, 0) == 0 && !isZombie(pid);
    }

    static boolean isZombie(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** Reaps the tree's root after CRIU killed it at the end of a dump (so its pid is free for restore). */
    Processes.WaitStatus reap() {
        Processes.WaitStatus st = Processes.waitpid(pid, 0);
        return st;
    }

    /** Our (the test JVM's) direct children. */
    static java.util.Set<Integer> ourChildren() {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    for (String c : Files.readString(t.resolve("children")).strip().split("\\s+")) {
                        if (!c.isEmpty()) {
                            out.add(Integer.parseInt(c));
                        }
                    }
                } catch (IOException e) {
                    // thread gone
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Kills and reaps children that appeared since {@code before} (e.g. what a failed rst_sibling restore left). */
    static java.util.List<Integer> reapNewChildren(java.util.Set<Integer> before) {
        java.util.List<Integer> reaped = new java.util.ArrayList<>();
        for (int c : ourChildren()) {
            if (!before.contains(c)) {
                killAndReap(c);
                reaped.add(c);
            }
        }
        return reaped;
    }

    /** Pids of all processes (zombies included) whose process group is pgid. */
    static List<Integer> groupMembers(int pgid) {
        List<Integer> out = new java.util.ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : procs) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[2]) == pgid) {
                        out.add(Integer.parseInt(d.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // raced with its exit
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * After CRIU killed the dumped tree: reaps the root (our child) and waits until every other member (the
     * {@code sleep} children, reparented to init, which reaps them asynchronously) is gone, so their pids are free
     * for the restore.
     */
    Processes.WaitStatus reapTree(long timeoutMillis) throws InterruptedException {
        Processes.WaitStatus st = reap();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<Integer> left;
        while (!(left = groupMembers(pid)).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("processes of the dumped tree still exist: " + left);
            }
            Thread.sleep(10);
        }
        return st;
    }

    /** Kills the whole session's process group and reaps the root, if it is still our child. */
    static void killAndReap(int pid) {
        if (pid <= 0) {
            return;
        }
        Processes.kill(-pid, 9);
        Processes.kill(pid, 9);
        try {
            Processes.waitpid(pid, 0);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ECHILD) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (helper > 0) {
            Processes.kill(pid, 9);
            killAndReap(helper);
            helper = -1;
        }
        killAndReap(pid);
        pid = -1;
    }
}
