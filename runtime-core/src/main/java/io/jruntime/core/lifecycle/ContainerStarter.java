package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.ContainerStateException;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Fds;
import io.jruntime.spec.Hook;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code start}: release a created container's init by reading its exec fifo. The init blocks opening the
 * fifo for writing; our read end lets it through, it writes one byte and execs the user process.
 */
public final class ContainerStarter {
    /** Looked up only when there is something to say: initialising java.util.logging costs every call ~17 ms. */
    private static Logger log() {
        return Logger.getLogger(ContainerStarter.class.getName());
    }

    private ContainerStarter() {
    }

    public static void start(RuntimeContext ctx, String id) {
        StateStore store = ctx.store();
        ContainerState s;
        try (Container c = Container.lock(store, id).require(Transitions.Command.START)) {
            s = c.state();
            if (Debug.on()) {
                Debug.log(ContainerStarter.class, "start " + id + ": reading the exec fifo of init pid " + s.initPid());
            }
            releaseFifo(store, s);
            if (Debug.on()) {
                Debug.log(ContainerStarter.class, "start " + id + ": init released, exec fifo removed");
            }
        }
        List<Hook> poststart = LateHooks.poststart(store, id);
        if (!poststart.isEmpty()) {
            // runtime-spec: a failing poststart hook is logged, the others still run, the container keeps running.
            // In the bundle directory even for a separate `start`: runc 1.1.5 runs poststart hooks from `create`
            // (which changed into the bundle) as soon as the init runs; jruntime runs them after the start, as
            // the spec says, but where runc's start.
            ContainerState st = s;
            ScopedValue.where(HookRunner.WORKING_DIRECTORY, java.nio.file.Path.of(s.bundle())).run(() ->
                    HookRunner.runAll("poststart", poststart, StateJson.of(st, ContainerStatus.RUNNING), ctx.caller()));
        }
    }

    private static void releaseFifo(StateStore store, ContainerState s) {
        Path fifo = store.dir(s.id()).resolve(StateStore.EXEC_FIFO);
        int fd = Fds.open(fifo.toString(), Fds.O_RDONLY | Fds.O_NONBLOCK | Fds.O_CLOEXEC, 0);
        try {
            long sleepMs = 1;
            while (true) {
                byte[] b = Fds.read(fd, 1, "exec fifo " + fifo);
                if (b != null && b.length == 1) {
                    break;
                }
                if (!ProcStat.alive(s.initPid(), s.initStartTime())) {
                    // A short-lived process may write its byte, exec and exit between our read and this check:
                    // the byte is still in the fifo then, and the start did happen.
                    byte[] last = Fds.read(fd, 1, "exec fifo " + fifo);
                    if (last != null && last.length == 1) {
                        break;
                    }
                    throw new ContainerStateException("cannot start container " + s.id() + ": its init process exited before start");
                }
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JRuntimeException("start interrupted");
                }
                sleepMs = Math.min(10, sleepMs * 2);
            }
        } finally {
            Fds.close(fd);
        }
        FaultInjection.point("start.after-release");
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new JRuntimeException("cannot remove exec fifo " + fifo + ": " + e.getMessage(), e);
        }
    }

    /** The config.json copied at create time, or null if it is unreadable (hooks are then skipped). */
    public static Spec savedConfig(StateStore store, String id) {
        Path p = store.dir(id).resolve(StateStore.CONFIG_COPY);
        if (!Files.exists(p)) {
            return null;
        }
        return SpecIO.read(p);
    }
}
