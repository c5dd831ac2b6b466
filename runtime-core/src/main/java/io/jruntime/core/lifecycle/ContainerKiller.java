package io.jruntime.core.lifecycle;

import io.jruntime.core.log.Debug;
import io.jruntime.core.ContainerStateException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Processes;

/** {@code kill}: signal the init (or, with --all, every process of the container). */
public final class ContainerKiller {
    private ContainerKiller() {
    }

    public static void kill(RuntimeContext ctx, String id, int signal, boolean all) {
        ContainerState s = ctx.store().load(id);
        // No lock, as runc: a signal needs no consistent view, and kill must get through while another command
        // (a slow checkpoint, a create's hooks) holds the lock.
        Transitions.require(StatusResolver.status(ctx.store(), s), all ? Transitions.Command.KILL_ALL : Transitions.Command.KILL, id);
        if (Debug.on()) {
            Debug.log(ContainerKiller.class, "kill " + id + ": signal " + signal + (all ? " to every process in cgroups "
                    + Debug.cgroupPaths(s.cgroupPaths()) : " to init pid " + s.initPid()));
        }
        if (all) {
            ContainerProcesses.signalAll(s, signal);
            return;
        }
        int err = Processes.kill(s.initPid(), signal);
        if (err == Errno.ESRCH) {
            throw new ContainerStateException("container not running");
        }
        if (err != 0) {
            throw new SyscallException("kill " + s.initPid() + " with signal " + signal, err);
        }
    }
}
