package io.jruntime.core.hooks;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.init.HelperBinary;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.sys.Spawn;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Syscalls;
import io.jruntime.core.lifecycle.Nulls;
import io.jruntime.spec.Hook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs the hooks jruntime executes on the host side (prestart, createRuntime, poststart, poststop): each hook
 * gets the container state JSON on stdin, its config env (jruntime's own when the config has none), and at most
 * its timeout. Its output is
 * captured so that a failure message shows what the hook said.
 *
 * <p>A hook never outlives the jruntime that runs it: it is started through jruntime-init's hook trampoline
 * (hook.c), which has the kernel SIGKILL it when the thread that started it dies, so each hook is started and
 * waited for on a platform thread of its own that ends only once the hook is reaped. Each hook leads a session of
 * its own ({@link HookSession}): what it starts stays there, and a hook that times out is killed with its session.
 */
public final class HookRunner {
    private static final int OUTPUT_LIMIT = 64 * 1024;

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
        run(kind, hooks, stateJson, Started.NONE);
    }

    /** As {@link #run(String, List, String)}, telling {@code started} about each hook process. */
    public static void run(String kind, List<Hook> hooks, String stateJson, Started started) {
        for (int i = 0; i < hooks.size(); i++) {
            runOne(kind + "[" + i + "]", hooks.get(i), stateJson, started);
        }
    }

    /**
     * Runs every hook in order, logging each failure as a warning and going on with the next: what runtime-spec
     * requires for poststart and poststop ("the runtime MUST log a warning ... and continue"; crun does, runc 1.1.5
     * stops at the first).
     */
    public static void runAll(String kind, List<Hook> hooks, String stateJson) {
        for (int i = 0; i < hooks.size(); i++) {
            try {
                runOne(kind + "[" + i + "]", hooks.get(i), stateJson, Started.NONE);
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

    /** jruntime's own environment, as "NAME=value" entries: what host-side hooks without env get. */
    public static List<String> runtimeEnv() {
        List<String> out = new java.util.ArrayList<>();
        System.getenv().forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * Runs one hook on a platform thread of its own, which lives until the hook is reaped: the hook's parent-death
     * signal is tied to that thread (a virtual thread's carrier, or a pool thread, may end while the hook runs).
     */
    private static void runOne(String name, Hook h, String stateJson, Started started) {
        RuntimeException[] failed = new RuntimeException[1];
        Error[] error = new Error[1];
        Thread t = Thread.ofPlatform().name("jruntime-hook-" + name).start(() -> {
            try {
                runHere(name, h, stateJson, started);
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

    private static void runHere(String name, Hook h, String stateJson, Started started) {
        int[] in = Syscalls.pipe();
        int[] out = Syscalls.pipe();
        int pid;
        try {
            List<String> argv = Nulls.list(h.args()).isEmpty() ? List.of(h.path()) : Nulls.list(h.args());
            try {
                pid = spawn(h.path(), argv, env(h, runtimeEnv()), in[0], out[1]);
            } catch (JRuntimeException e) {
                throw new JRuntimeException("hooks." + name + " " + h.path() + ": " + e.getMessage(), e);
            }
        } finally {
            Syscalls.close(in[0]);
            Syscalls.close(out[1]);
        }
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> drain(out[0], output));
        try {
            started.started(pid, ProcStat.startTime(pid));
        } catch (RuntimeException | Error e) {
            HookSession.kill(pid, -1);
            Syscalls.waitpid(pid, 0);
            Syscalls.close(in[1]);
            join(reader);
            throw e;
        }
        try {
            Syscalls.writeFully(in[1], stateJson.getBytes(StandardCharsets.UTF_8), "state to hook");
        } catch (JRuntimeException e) {
            // A hook may exit without reading its stdin; that is not a failure by itself.
        } finally {
            Syscalls.close(in[1]);
        }
        long deadline = h.timeout() == null || h.timeout() <= 0 ? Long.MAX_VALUE
                : System.nanoTime() + h.timeout() * 1_000_000_000L;
        Syscalls.WaitStatus ws;
        while ((ws = Syscalls.waitpid(pid, Syscalls.WNOHANG)) == null) {
            if (System.nanoTime() > deadline) {
                // the hook and whatever it started (its session), not only the hook itself
                HookSession.kill(pid, -1);
                Syscalls.waitpid(pid, 0);
                join(reader);
                throw new JRuntimeException("hooks." + name + " " + h.path() + ": timed out after " + h.timeout() + "s");
            }
            sleep();
        }
        join(reader);
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
    private static int spawn(String path, List<String> argv, List<String> env, int stdin, int output) {
        int[] err = Syscalls.pipe();
        int pid;
        try {
            List<String> trampoline = new ArrayList<>(List.of(HelperBinary.NAME, "hook", "3",
                    Long.toString(ProcessHandle.current().pid()), path));
            trampoline.addAll(argv);
            pid = Spawn.spawn(HelperBinary.location().toString(), trampoline, env, Map.of(0, stdin, 1, output, 2, output, 3, err[1]),
                    true);
        } catch (RuntimeException e) {
            Syscalls.close(err[0]);
            throw e;
        } finally {
            Syscalls.close(err[1]);
        }
        byte[] errno;
        try {
            errno = Syscalls.read(err[0], 4, "hook exec status");
        } finally {
            Syscalls.close(err[0]);
        }
        if (errno != null && errno.length == 4) {
            Syscalls.waitpid(pid, 0);
            int e = (errno[0] & 0xff) | (errno[1] & 0xff) << 8 | (errno[2] & 0xff) << 16 | (errno[3] & 0xff) << 24;
            throw new SyscallException("spawn " + path, e);
        }
        return pid;
    }

    private static void drain(int fd, StringBuilder sb) {
        try {
            while (true) {
                byte[] b = Syscalls.read(fd, 4096, "hook output");
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
            Syscalls.close(fd);
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
