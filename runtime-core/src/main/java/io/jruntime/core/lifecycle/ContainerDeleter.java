package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.ContainerStateException;
import io.jruntime.core.FaultInjection;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.hooks.HookSession;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Processes;
import io.jruntime.spec.Hook;

import java.nio.file.Files;
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
            if (force && Files.isDirectory(store.dir(id))) {
                // A directory without a record: a create that died before writing its first record (nothing else
                // was made yet), or one that is between mkdir and its lock right now: the lock tells which.
                try (StateStore.Lock lock = store.lock(id)) {
                    if (!store.exists(id)) {
                        FaultInjection.point("delete.before-remove");
                        store.remove(id);
                    }
                } catch (ContainerNotFoundException gone) {
                    // removed meanwhile
                }
                return;
            }
            if (force) {
                return;
            }
            throw new ContainerNotFoundException(id);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            Optional<ContainerState> found = store.find(id);
            if (found.isEmpty()) {
                if (force) {
                    store.remove(id);
                    return;
                }
                throw new ContainerNotFoundException(id);
            }
            ContainerState s = found.get();
            if (s.creating()) {
                // We hold the lock, so its creator is gone: a half-made container, undone from its record (with
                // or without --force: it can never be started, so it counts as stopped).
                undo(ctx, s, true);
                return;
            }
            ContainerStatus st = StatusResolver.statusLocked(store, s);
            if (Debug.on()) {
                Debug.log(ContainerDeleter.class, "delete " + id + ": status " + st.name().toLowerCase(java.util.Locale.ROOT)
                        + ", init pid " + s.initPid() + (force ? ", --force" : ""));
            }
            Transitions.require(st, force ? Transitions.Command.DELETE_FORCE : Transitions.Command.DELETE, id);
            if (st != ContainerStatus.STOPPED) {
                killAndWait(s);
            }
            FaultInjection.point("delete.after-kill");
            destroy(ctx, s);
        }
    }

    /**
     * Undoes a container that was never completed (its create or restore failed, or its creator died), from its
     * record: kills the process that was making it, the session of the last hook it ran, and the init, every
     * process in the cgroups this container
     * made (a cgroup it found already there is not ours to empty), waits for them, removes the cgroups and the
     * state directory (with the exec fifo). Mounts need nothing: they live in the init's (or criu's) own mount
     * namespace and go with it.
     *
     * @param poststop run poststop hooks as for a deleted container (delete does; a failed create does not, as before)
     */
    static void undo(RuntimeContext ctx, ContainerState s, boolean poststop) {
        StateStore store = ctx.store();
        if (Debug.on()) {
            Debug.log(ContainerDeleter.class, "undoing the half-made container " + s.id() + " from its record (helper "
                    + s.helperPid() + ", init " + s.initPid() + ", cgroups " + Debug.cgroupPaths(s.cgroupPaths()) + ")");
        }
        if (s.helperPid() > 0 && ProcStat.alive(s.helperPid(), s.helperStartTime())) {
            Processes.kill(s.helperPid(), 9);
        }
        // a hook that was running (the kernel killed it with its creator) and whatever it started in its session
        if (s.hookPid() > 0 && !HookSession.kill(s.hookPid(), s.hookStartTime(), EXIT_WAIT)) {
            throw new JRuntimeException("container " + s.id() + ": processes of hook " + s.hookPid() + "'s session did not "
                    + "exit within " + EXIT_WAIT.toSeconds() + "s of SIGKILL; the state is kept, run delete --force again");
        }
        if (s.initPid() > 0 && ProcStat.alive(s.initPid(), s.initStartTime())) {
            Processes.kill(s.initPid(), 9);
        }
        Cgroup cg = s.cgroupPaths().isEmpty() ? null : Cgroup.fromPaths(s.cgroupPaths());
        boolean ours = cg != null && cg.createdLevels().values().stream().anyMatch(n -> n > 0);
        if (ours && !cg.pids().isEmpty()) {
            cg.killAll(9);
        }
        boolean exited = (s.helperPid() <= 0 || ProcessWatch.awaitExit(s.helperPid(), s.helperStartTime(), EXIT_WAIT))
                & (s.initPid() <= 0 || ProcessWatch.awaitExit(s.initPid(), s.initStartTime(), EXIT_WAIT));
        if (!exited) {
            throw new JRuntimeException("container " + s.id() + ": its processes (helper " + s.helperPid() + ", init "
                    + s.initPid() + ") did not exit within " + EXIT_WAIT.toSeconds() + "s of SIGKILL; the state is kept, "
                    + "run delete --force again");
        }
        if (poststop) {
            destroy(ctx, s);
            return;
        }
        try {
            if (cg != null) {
                cg.destroy(EXIT_WAIT);
            }
        } finally {
            store.remove(s.id());
        }
    }

    private static void killAndWait(ContainerState s) {
        if (Debug.on()) {
            Debug.log(ContainerDeleter.class, "killing every process of " + s.id() + " (SIGKILL) and waiting for init "
                    + s.initPid());
        }
        ContainerProcesses.signalAll(s, 9);
        // the init directly as well, in case it left its cgroup, but only while the pid is still our init (same
        // start time): once it has exited and been reaped, the pid may belong to anyone
        if (ProcStat.alive(s.initPid(), s.initStartTime())) {
            Processes.kill(s.initPid(), 9);
        }
        if (!ProcessWatch.awaitExit(s.initPid(), s.initStartTime(), EXIT_WAIT)) {
            throw new JRuntimeException("container " + s.id() + ": init process " + s.initPid()
                    + " did not exit within " + EXIT_WAIT.toSeconds() + "s of SIGKILL");
        }
    }

    /** Removes the cgroups, runs poststop hooks (failures are warnings, per the spec), removes the state directory. */
    static void destroy(RuntimeContext ctx, ContainerState s) {
        StateStore store = ctx.store();
        if (!s.cgroupPaths().isEmpty()) {
            Cgroup.fromPaths(s.cgroupPaths()).destroy(EXIT_WAIT);
            if (Debug.on()) {
                Debug.log(ContainerDeleter.class, "cgroups removed: " + Debug.cgroupPaths(s.cgroupPaths()));
            }
        }
        FaultInjection.point("delete.after-cgroups");
        List<Hook> poststop;
        try {
            poststop = LateHooks.poststop(store, s.id());
        } catch (RuntimeException e) {
            log().warning("container " + s.id() + ": cannot read its poststop hooks, skipping them: " + e.getMessage());
            poststop = List.of();
        }
        if (!poststop.isEmpty()) {
            HookRunner.runAll("poststop", poststop, StateJson.of(s, ContainerStatus.STOPPED), ctx.caller());
        }
        store.remove(s.id());
        if (Debug.on()) {
            Debug.log(ContainerDeleter.class, "state directory " + store.dir(s.id()) + " removed");
        }
    }
}
