package io.jruntime.core.lifecycle;

import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.sys.Processes;

import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a container: everything in its cgroup when it has one, else the init alone (a container
 * without its own pid namespace can have processes we only find through the cgroup).
 */
public final class ContainerProcesses {
    private ContainerProcesses() {
    }

    public static List<Integer> pids(ContainerState s) {
        List<Integer> out = new ArrayList<>();
        if (!s.cgroupPaths().isEmpty()) {
            out.addAll(Cgroup.fromPaths(s.cgroupPaths()).pids());
        }
        if (out.isEmpty() && s.initPid() > 0 && ProcStat.alive(s.initPid(), s.initStartTime())) {
            out.add(s.initPid());
        }
        return out;
    }

    /** Signals every process; through the cgroup's freeze-signal-thaw so no fork escapes. */
    public static void signalAll(ContainerState s, int signal) {
        if (!s.cgroupPaths().isEmpty()) {
            Cgroup.fromPaths(s.cgroupPaths()).killAll(signal);
            return;
        }
        for (int pid : pids(s)) {
            Processes.kill(pid, signal);
        }
    }
}
