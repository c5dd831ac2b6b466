package io.jruntime.core.state;

import io.jruntime.core.cgroups.Cgroup;

import java.nio.file.Files;

/**
 * Derives a container's status from the live system, the way runc does: no init or a dead/recycled pid is
 * {@code stopped}; an exec fifo still waiting for {@code start} is {@code created}; a frozen cgroup is
 * {@code paused}; anything else alive is {@code running}.
 */
public final class StatusResolver {
    private StatusResolver() {
    }

    public static ContainerStatus status(StateStore store, ContainerState s) {
        if (s.initPid() <= 0 || !ProcStat.alive(s.initPid(), s.initStartTime())) {
            return ContainerStatus.STOPPED;
        }
        if (Files.exists(store.dir(s.id()).resolve(StateStore.EXEC_FIFO))) {
            return ContainerStatus.CREATED;
        }
        if (frozen(s)) {
            return ContainerStatus.PAUSED;
        }
        return ContainerStatus.RUNNING;
    }

    /** Paused means frozen as the cgroup manager freezes and reads it (v1 freezer, or cgroup2's events). */
    private static boolean frozen(ContainerState s) {
        return !s.cgroupPaths().isEmpty() && Cgroup.fromPaths(s.cgroupPaths()).isFrozen();
    }
}
