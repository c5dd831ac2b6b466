package io.jruntime.criu;

import io.jruntime.core.sys.Spawn;
import io.jruntime.core.sys.Processes;

import java.util.List;
import java.util.Map;

/**
 * Starts the criu process of a session. The default starts it directly; a container restore starts it through
 * jruntime-init in a private mount namespace (see io.jruntime.core.init.InitSession#spawnCriu), so that
 * the mounts made for it can never leak into the host.
 */
@FunctionalInterface
public interface CriuLauncher {
    CriuLauncher DIRECT = (criu, argv, env, fds) -> Spawn.spawn(criu, argv, env, fds, false);

    /**
     * @param fds the child's fd number to our fd, exactly what criu must get
     * @return the pid of the process that is (or becomes) criu; the caller reaps it
     */
    int launch(String criu, List<String> argv, List<String> env, Map<Integer, Integer> fds);

    /**
     * waitpid(2) for the process {@link #launch} started. Only its parent can reap it: a launcher that starts
     * criu elsewhere (as the child of jruntime daemon's client) reaps it there too.
     */
    default Processes.WaitStatus waitpid(int pid, int options) {
        return Processes.waitpid(pid, options);
    }
}
