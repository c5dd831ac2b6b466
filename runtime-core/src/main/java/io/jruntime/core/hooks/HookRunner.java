package io.jruntime.core.hooks;

import io.jruntime.core.log.Debug;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.lifecycle.Nulls;
import io.jruntime.spec.Hook;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs the hooks jruntime executes on the host side (prestart, createRuntime, poststart, poststop): each hook
 * gets the container state JSON on stdin, its config env (the caller's when the config has none), and at most
 * its timeout. Its output is captured so that a failure message shows what the hook said. A hook is started by
 * the {@link Caller} (this JVM, or the daemon's client), so it inherits the caller's working directory and umask
 * and environment, and the daemon never needs a process-wide umask for it.
 *
 * <p>Working directory: runc's create, run and restore change into the bundle directory first, so the hooks they
 * run (prestart, createRuntime, poststart - runc runs those from create - and for run the poststop hooks too)
 * start there; a separate {@code delete} does not change directory, so its poststop hooks start in the caller's
 * directory. jruntime does not change its own directory (the daemon serves several callers): the
 * operations that runc runs in the bundle bind {@link #WORKING_DIRECTORY} for their extent instead.
 * (createContainer hooks run in the rootfs, startContainer hooks in process.cwd: the init helper runs those.)
 */
public final class HookRunner {
    private static final int OUTPUT_LIMIT = 64 * 1024;

    /** Where the hooks run within the bound extent start (the bundle); unbound: the caller's directory. */
    public static final ScopedValue<java.nio.file.Path> WORKING_DIRECTORY = ScopedValue.newInstance();

    private HookRunner() {
    }

    /** Runs hooks in order; the first failure throws, naming the hook kind, index and path. */
    public static void run(String kind, List<Hook> hooks, String stateJson) {
        run(kind, hooks, stateJson, Caller.SELF);
    }

    /** {@link #run(String, List, String)} for a caller. */
    public static void run(String kind, List<Hook> hooks, String stateJson, Caller caller) {
        for (int i = 0; i < hooks.size(); i++) {
            runOne(kind + "[" + i + "]", hooks.get(i), stateJson, caller);
        }
    }

    /**
     * Runs every hook in order, logging each failure as a warning and going on with the next: what runtime-spec
     * requires for poststart and poststop ("the runtime MUST log a warning ... and continue"; crun does, runc 1.1.5
     * stops at the first).
     */
    public static void runAll(String kind, List<Hook> hooks, String stateJson) {
        runAll(kind, hooks, stateJson, Caller.SELF);
    }

    /** {@link #runAll(String, List, String)} for a caller. */
    public static void runAll(String kind, List<Hook> hooks, String stateJson, Caller caller) {
        for (int i = 0; i < hooks.size(); i++) {
            try {
                runOne(kind + "[" + i + "]", hooks.get(i), stateJson, caller);
            } catch (JRuntimeException e) {
                Logger.getLogger(HookRunner.class.getName()).warning(e.getMessage());
            }
        }
    }

    /**
     * A hook's environment: its own env when the config gives one (even an empty list), else {@code fallback},
     * the environment of whoever runs it (runc passes its own then: Go's exec.Cmd with a nil Env).
     */
    public static List<String> env(Hook h, List<String> fallback) {
        return h.env() != null ? h.env() : fallback;
    }

    private static void runOne(String name, Hook h, String stateJson, Caller caller) {
        int[] in = Fds.pipe();
        int[] out = Fds.pipe();
        int pid;
        try {
            List<String> argv = Nulls.list(h.args()).isEmpty() ? List.of(h.path()) : Nulls.list(h.args());
            if (Debug.on()) {
                Debug.log(HookRunner.class, "running hook " + name + ": " + h.path() + " " + argv
                        + (h.timeout() == null ? "" : " (timeout " + h.timeout() + "s)"));
            }
            try {
                java.nio.file.Path cwd = WORKING_DIRECTORY.isBound() ? WORKING_DIRECTORY.get() : null;
                pid = caller.spawnHook(h.path(), argv, env(h, caller.context().envList()),
                        Map.of(0, in[0], 1, out[1], 2, out[1]), cwd);
            } catch (JRuntimeException e) {
                throw new JRuntimeException("hooks." + name + " " + h.path() + ": " + e.getMessage(), e);
            }
        } finally {
            Fds.close(in[0]);
            Fds.close(out[1]);
        }
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> drain(out[0], output));
        try {
            Fds.writeFully(in[1], stateJson.getBytes(StandardCharsets.UTF_8), "state to hook");
        } catch (JRuntimeException e) {
            // A hook may exit without reading its stdin; that is not a failure by itself.
        } finally {
            Fds.close(in[1]);
        }
        long deadline = h.timeout() == null || h.timeout() <= 0 ? Long.MAX_VALUE
                : System.nanoTime() + h.timeout() * 1_000_000_000L;
        Processes.WaitStatus ws;
        while ((ws = caller.waitpid(pid, Processes.WNOHANG)) == null) {
            if (System.nanoTime() > deadline) {
                Processes.kill(pid, 9); // the caller's child is in our pid namespace (PeerCheck)
                caller.waitpid(pid, 0);
                join(reader);
                throw new JRuntimeException("hooks." + name + " " + h.path() + ": timed out after " + h.timeout() + "s");
            }
            sleep();
        }
        join(reader);
        if (Debug.on()) {
            Debug.log(HookRunner.class, "hook " + name + " " + h.path() + " (pid " + pid + ") ended: "
                    + (ws.exited() ? "exit status " + ws.exitCode() : "killed by signal " + ws.termSignal()));
        }
        if (!ws.exited() || ws.exitCode() != 0) {
            String said = output.toString().strip();
            throw new JRuntimeException("hooks." + name + " " + h.path() + " failed: "
                    + (ws.exited() ? "exit status " + ws.exitCode() : "killed by signal " + ws.termSignal())
                    + (said.isEmpty() ? "" : ", output: " + said));
        }
    }

    private static void drain(int fd, StringBuilder sb) {
        try {
            while (true) {
                byte[] b = Fds.read(fd, 4096, "hook output");
                if (b == null || b.length == 0) {
                    return;
                }
                synchronized (sb) {
                    if (sb.length() < OUTPUT_LIMIT) {
                        sb.append(new String(b, StandardCharsets.UTF_8));
                    }
                }
            }
        } finally {
            Fds.close(fd);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
