package io.jruntime.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private static boolean frozen(ContainerState s) {
        String freezer = s.cgroupPaths().get("freezer");
        if (freezer != null) {
            return readTrim(Path.of(freezer, "freezer.state")).equals("FROZEN");
        }
        String unified = s.cgroupPaths().get("");
        if (unified != null) {
            return readTrim(Path.of(unified, "cgroup.freeze")).equals("1");
        }
        return false;
    }

    private static String readTrim(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
