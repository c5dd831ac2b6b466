package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.ContainerStateException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Syscalls;
import io.jruntime.spec.Hook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code delete}: remove a stopped container's resources; a created one is killed first (as runc does), a
 * running or paused one only with --force.
 */
public final class ContainerDeleter {
    /** Looked up only when there is something to say: initialising java.util.logging costs every call ~17 ms. */
    private static Logger log() {
        return Logger.getLogger(ContainerDeleter.class.getName());
    }
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private ContainerDeleter() {
    }

    public static void delete(RuntimeContext ctx, String id, boolean force) {
        StateStore store = ctx.store();
        if (!store.exists(id)) {
            if (force) {
                store.remove(id); // a half-created directory without state goes too
                return;
            }
            throw new ContainerNotFoundException(id);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            Optional<ContainerState> found = store.find(id);
            if (found.isEmpty()) {
                if (force) {
                    return;
                }
                throw new ContainerNotFoundException(id);
            }
            ContainerState s = found.get();
            ContainerStatus st = StatusResolver.status(store, s);
            switch (st) {
                case STOPPED -> { }
                case CREATED -> killAndWait(s);
                case RUNNING, PAUSED -> {
                    if (!force) {
                        throw new ContainerStateException("cannot delete container " + id + " that is not stopped: "
                                + st.json());
                    }
                    killAndWait(s);
                }
                default -> throw new ContainerStateException("cannot delete container " + id + " in status " + st.json());
            }
            destroy(store, s);
        }
    }

    private static void killAndWait(ContainerState s) {
        ContainerProcesses.signalAll(s, 9);
        // the init directly as well, in case it left its cgroup, but only while the pid is still our init (same
        // start time): once it has exited and been reaped, the pid may belong to anyone
        if (ProcStat.alive(s.initPid(), s.initStartTime())) {
            Syscalls.kill(s.initPid(), 9);
        }
        if (!ProcessWatch.awaitExit(s.initPid(), s.initStartTime(), EXIT_WAIT)) {
            throw new JRuntimeException("container " + s.id() + ": init process " + s.initPid()
                    + " did not exit within " + EXIT_WAIT.toSeconds() + "s of SIGKILL");
        }
    }

    /** Removes the cgroups, runs poststop hooks (failures are warnings, per the spec), removes the state directory. */
    static void destroy(StateStore store, ContainerState s) {
        if (!s.cgroupPaths().isEmpty()) {
            Cgroup.fromPaths(s.cgroupPaths()).destroy(EXIT_WAIT);
        }
        List<Hook> poststop;
        try {
            poststop = LateHooks.poststop(store, s.id());
        } catch (RuntimeException e) {
            log().warning("container " + s.id() + ": cannot read its poststop hooks, skipping them: " + e.getMessage());
            poststop = List.of();
        }
        if (!poststop.isEmpty()) {
            HookRunner.runAll("poststop", poststop, StateJson.of(s, ContainerStatus.STOPPED));
        }
        store.remove(s.id());
    }
}
