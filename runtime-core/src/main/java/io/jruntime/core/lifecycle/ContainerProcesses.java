package io.jruntime.core.lifecycle;

import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.sys.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a container: everything in its cgroup when it has one, else the init alone. A container
 * without its own pid namespace can have processes we only find through the cgroup.
 */
public final class ContainerProcesses {
    private ContainerProcesses() {
    }

    public static List<Integer> pids(ContainerState s) {
        List<Integer> out = new ArrayList<>();
        String dir = s.cgroupPaths().containsKey("pids") ? s.cgroupPaths().get("pids")
                : s.cgroupPaths().values().stream().findFirst().orElse(null);
        if (dir != null) {
            collect(Path.of(dir), out);
        }
        if (out.isEmpty() && s.initPid() > 0 && ProcStat.alive(s.initPid(), s.initStartTime())) {
            out.add(s.initPid());
        }
        return out;
    }

    private static void collect(Path dir, List<Integer> out) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("cgroup.procs")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.isBlank()) {
                        out.add(Integer.parseInt(line.trim()));
                    }
                }
            }
        } catch (IOException e) {
            // The cgroup is gone: the container has no processes left there.
        }
    }

    public static void signalAll(ContainerState s, int signal) {
        for (int pid : pids(s)) {
            Syscalls.kill(pid, signal);
        }
    }
}
