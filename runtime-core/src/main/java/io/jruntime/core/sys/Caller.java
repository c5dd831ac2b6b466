package io.jruntime.core.sys;

import java.util.List;
import java.util.Map;

/**
 * The process jruntime acts for: the container inherits its stdio and preserved fds, and the processes that
 * must end up in its process tree (the init helper, and through CLONE_PARENT the container's init) are started
 * as its children, so an engine that is a child subreaper (conmon, containerd-shim) reaps the container.
 *
 * <p>Normally that is this JVM itself ({@link #SELF}). Under {@code jruntime daemon} it is the short-lived
 * client process that forwarded the command: its fds arrived over the daemon socket, and it starts and reaps
 * processes on the daemon's behalf.
 */
public interface Caller {
    /** Our fds standing for the caller's 0, 1 and 2. */
    int[] stdio();

    /** Our fd standing for the caller's fd n (n >= 3: fds kept open with --preserve-fds). */
    int fd(int n);

    /**
     * Starts path as a child of the caller with exactly the given fds (child fd to our fd), default signal
     * dispositions and an empty signal mask (see {@link Spawn}).
     */
    int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds);

    /** waitpid(2) for a child started with {@link #spawn}: null with WNOHANG while it runs. */
    Processes.WaitStatus waitpid(int pid, int options);

    /**
     * Waits for pid (a child of the caller: the container process a foreground run or exec started through
     * CLONE_PARENT) while the signals a user or engine sends the caller are forwarded to it, as runc does; returns
     * its status the shell way (exit code, or 128 + signal).
     */
    int waitInForeground(int pid);

    /** The caller's working directory, umask and environment (never this JVM's, unless it is the caller). */
    CallerContext context();

    /**
     * Starts a host-side hook (prestart, createRuntime, poststart, poststop) as {@link #spawn} does: a child of
     * the caller, so it runs with the caller's umask as runc's hooks run with runc's, and in cwd (null: the
     * caller's working directory).
     */
    int spawnHook(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds, java.nio.file.Path cwd);

    /** This process. */
    Caller SELF = new Caller() {
        private final int[] stdio = {0, 1, 2};

        @Override
        public int[] stdio() {
            return stdio.clone();
        }

        @Override
        public int fd(int n) {
            return n;
        }

        @Override
        public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
            return Spawn.spawn(path, argv, env, fds, false);
        }

        @Override
        public Processes.WaitStatus waitpid(int pid, int options) {
            return Processes.waitpid(pid, options);
        }

        @Override
        public CallerContext context() {
            return SelfContext.VALUE;
        }

        @Override
        public int waitInForeground(int pid) {
            return io.jruntime.core.lifecycle.ForegroundWaiter.waitFor(pid);
        }

        /** In a session of its own: a hook cannot read or signal jruntime's controlling terminal. */
        @Override
        public int spawnHook(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds,
                java.nio.file.Path cwd) {
            return Spawn.spawn(path, argv, env, fds, true, cwd == null ? null : cwd.toString());
        }
    };

    /** Read once, when first asked (most commands never need it). */
    final class SelfContext {
        static final CallerContext VALUE = CallerContext.ofThisProcess();

        private SelfContext() {
        }
    }
}
