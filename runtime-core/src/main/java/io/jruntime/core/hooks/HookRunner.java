package io.jruntime.core.hooks;

import io.jruntime.core.log.Debug;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.init.HelperBinary;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.lifecycle.Nulls;
import io.jruntime.spec.Hook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 *
 * <p>A hook never outlives the jruntime that runs it: it is started through jruntime-init's hook trampoline
 * (hook.c), which has the kernel SIGKILL it when the thread that started it dies, so each hook is started and
 * waited for on a platform thread of its own that ends only once the hook is reaped. Each hook leads a session of
 * its own ({@link HookSession}): what it starts stays there, and a hook that times out is killed with its session.
 */
public final class HookRunner {
    private static final int OUTPUT_LIMIT = 64 * 1024;

    /** Where the hooks run within the bound extent start (the bundle); unbound: the caller's directory. */
    public static final ScopedValue<java.nio.file.Path> WORKING_DIRECTORY = ScopedValue.newInstance();

    private HookRunner() {
    }

    /** Told about each hook right after it was started, before it is given the state (create records it). */
    @FunctionalInterface
    public interface Started {
        Started NONE = (pid, startTime) -> { };

        void started(int pid, long startTime);
    }

    /** Runs hooks in order; the first failure throws, naming the hook kind, index and path. */
    public static void run(String kind, List<Hook> hooks, String stateJson) {
        run(kind, hooks, stateJson, Caller.SELF, Started.NONE);
    }

    /** {@link #run(String, List, String)} for a caller, telling {@code started} about each hook process. */
    public static void run(String kind, List<Hook> hooks, String stateJson, Caller caller, Started started) {
        for (int i = 0; i < hooks.size(); i++) {
            runOne(kind + "[" + i + "]", hooks.get(i), stateJson, caller, started);
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
                runOne(kind + "[" + i + "]", hooks.get(i), stateJson, caller, Started.NONE);
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

    /**
     * Runs one hook on a platform thread of its own, which lives until the hook is reaped: the hook's parent-death
     * signal is tied to that thread (a virtual thread's carrier, or a pool thread, may end while the hook runs).
     */
    private static void runOne(String name, Hook h, String stateJson, Caller caller, Started started) {
        // read here: a scoped value is not seen by the hook's own thread
        java.nio.file.Path cwd = WORKING_DIRECTORY.isBound() ? WORKING_DIRECTORY.get() : null;
        RuntimeException[] failed = new RuntimeException[1];
        Error[] error = new Error[1];
        Thread t = Thread.ofPlatform().name("jruntime-hook-" + name).start(() -> {
            try {
                runHere(name, h, stateJson, caller, started, cwd);
            } catch (RuntimeException e) {
                failed[0] = e;
            } catch (Error e) {
                error[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the hook's thread must finish (it reaps the hook); keep the flag for later
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error[0] != null) {
            throw error[0];
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private static void runHere(String name, Hook h, String stateJson, Caller caller, Started started,
            java.nio.file.Path cwd) {
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
                pid = spawn(caller, h.path(), argv, env(h, caller.context().envList()), in[0], out[1], cwd);
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
            started.started(pid, ProcStat.startTime(pid));
        } catch (RuntimeException | Error e) {
            HookSession.kill(pid, -1);
            caller.waitpid(pid, 0);
            Fds.close(in[1]);
            join(reader);
            throw e;
        }
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
                // the hook and whatever it started (its session), not only the hook itself
                HookSession.kill(pid, -1);
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

    /**
     * Starts the hook through jruntime-init's hook trampoline (see hook.c): in a session of its own, stdin from
     * {@code stdin}, stdout and stderr to {@code output}, killed by the kernel when this thread dies. An exec
     * failure comes back over a close-on-exec pipe and is thrown as posix_spawn's error was.
     */
    /**
     * Starts the hook through jruntime-init's hook trampoline as a child of the caller (this JVM, or the daemon's
     * client), in a session of its own, in cwd (null: the caller's directory). The trampoline checks that its
     * parent is still the caller before it execs, so the parent-death signal it sets cannot miss a caller that
     * died a moment earlier; an exec failure comes back as an errno on fd 3.
     */
    private static int spawn(Caller caller, String path, List<String> argv, List<String> env, int stdin, int output,
            java.nio.file.Path cwd) {
        int[] err = Fds.pipe();
        int pid;
        try {
            List<String> trampoline = new ArrayList<>(List.of(HelperBinary.NAME, "hook", "3",
                    Long.toString(caller.context().pid() > 0 ? caller.context().pid() : ProcessHandle.current().pid()), path));
            trampoline.addAll(argv);
            pid = caller.spawnHook(HelperBinary.location().toString(), trampoline, env,
                    Map.of(0, stdin, 1, output, 2, output, 3, err[1]), cwd);
        } catch (RuntimeException e) {
            Fds.close(err[0]);
            throw e;
        } finally {
            Fds.close(err[1]);
        }
        byte[] errno;
        try {
            errno = Fds.read(err[0], 4, "hook exec status");
        } finally {
            Fds.close(err[0]);
        }
        if (errno != null && errno.length == 4) {
            caller.waitpid(pid, 0);
            int e = (errno[0] & 0xff) | (errno[1] & 0xff) << 8 | (errno[2] & 0xff) << 16 | (errno[3] & 0xff) << 24;
            throw new SyscallException("spawn " + path, e);
        }
        return pid;
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
