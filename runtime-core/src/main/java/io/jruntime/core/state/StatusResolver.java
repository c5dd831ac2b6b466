package io.jruntime.core.state;

import io.jruntime.core.cgroups.Cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Derives a container's status from the live system, the way runc does: no init or a dead/recycled pid is
 * {@code stopped}; an exec fifo still waiting for {@code start} is {@code created}; a frozen cgroup is
 * {@code paused}; anything else alive is {@code running}. A record still in phase creating is {@code creating}
 * while its creator holds the container's lock, {@code stopped} once the creator died (it can never be started;
 * {@code delete} undoes it).
 */
public final class StatusResolver {
    private StatusResolver() {
    }

    /** For callers that do not hold the container's lock (state, list, kill, exec). */
    public static ContainerStatus status(StateStore store, ContainerState s) {
        if (s.creating()) {
            return store.lockedElsewhere(s.id()) ? ContainerStatus.CREATING : ContainerStatus.STOPPED;
        }
        return complete(store, s);
    }

    /** For a caller that holds the container's lock: a record still creating then has a dead creator. */
    public static ContainerStatus statusLocked(StateStore store, ContainerState s) {
        return s.creating() ? ContainerStatus.STOPPED : complete(store, s);
    }

    private static ContainerStatus complete(StateStore store, ContainerState s) {
        if (s.initPid() <= 0 || !ProcStat.alive(s.initPid(), s.initStartTime())) {
            return ContainerStatus.STOPPED;
        }
        if (Files.exists(store.dir(s.id()).resolve(StateStore.EXEC_FIFO)) && stillHelper(s.initPid())) {
            return ContainerStatus.CREATED;
        }
        if (frozen(s)) {
            return ContainerStatus.PAUSED;
        }
        return ContainerStatus.RUNNING;
    }

    /**
     * Until start, the init is still jruntime-init (run from its sealed memfd); once released it has exec'd the
     * container's program. A fifo left behind by a start that died between releasing the init and removing the
     * fifo thus does not make a running container look created. When /proc/PID/exe cannot be read (another
     * user's process) the fifo alone decides, as in runc.
     */
    private static boolean stillHelper(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().startsWith("/memfd:jruntime-init");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }

    /** Paused means frozen as the cgroup manager freezes and reads it (v1 freezer, or cgroup2's events). */
    private static boolean frozen(ContainerState s) {
        return !s.cgroupPaths().isEmpty() && Cgroup.fromPaths(s.cgroupPaths()).isFrozen();
    }
}
