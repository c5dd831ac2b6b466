package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.state.ContainerStatus;

/**
 * Which command a container in which status allows, and the one wording of each refusal (runc's, where runc has
 * one): the table runc keeps in libcontainer/state_linux.go and youki in ContainerStatus::can_*. Every command
 * that changes a container asks here; none decides for itself.
 *
 * <pre>
 *              creating  created  running  paused  stopped
 *  start          -         x        -        -       -
 *  kill           -         x        x        x       - (kill --all: x, a no-op)
 *  exec           -         x        x     --ignore-paused  -
 *  pause          -         x        x        -       -
 *  resume         -         -        -        x       -
 *  update         -         x        x        x       -
 *  checkpoint     -         -        x        x       -
 *  delete         -         x        -        -       x      (--force: any; creating = its creator died, undone)
 * </pre>
 */
public final class Transitions {
    /** The commands that depend on a container's status. */
    public enum Command { START, KILL, KILL_ALL, EXEC, EXEC_IGNORE_PAUSED, PAUSE, RESUME, UPDATE, CHECKPOINT, DELETE, DELETE_FORCE }

    private Transitions() {
    }

    public static boolean allows(ContainerStatus st, Command c) {
        return switch (c) {
            case START -> st == ContainerStatus.CREATED;
            case KILL -> st == ContainerStatus.CREATED || st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED;
            case KILL_ALL, DELETE_FORCE -> true;
            case EXEC -> st == ContainerStatus.CREATED || st == ContainerStatus.RUNNING;
            case EXEC_IGNORE_PAUSED, UPDATE -> st == ContainerStatus.CREATED || st == ContainerStatus.RUNNING
                    || st == ContainerStatus.PAUSED;
            case PAUSE -> st == ContainerStatus.CREATED || st == ContainerStatus.RUNNING;
            case RESUME -> st == ContainerStatus.PAUSED;
            case CHECKPOINT -> st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED;
            case DELETE -> st == ContainerStatus.CREATED || st == ContainerStatus.STOPPED;
        };
    }

    /** Throws the command's refusal unless the status allows it. */
    public static void require(ContainerStatus st, Command c, String id) {
        if (!allows(st, c)) {
            throw new ContainerStateException(refusal(st, c, id));
        }
    }

    static String refusal(ContainerStatus st, Command c, String id) {
        return switch (c) {
            case START -> st == ContainerStatus.STOPPED ? "cannot start a container that has stopped"
                    : st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED ? "cannot start an already running container"
                    : "cannot start a container in status " + st.json();
            case KILL, KILL_ALL, PAUSE -> "container not running";
            case EXEC, EXEC_IGNORE_PAUSED -> st == ContainerStatus.PAUSED
                    ? "cannot exec in a paused container (use --ignore-paused to override)"
                    : st == ContainerStatus.STOPPED ? "cannot exec in a stopped container"
                    : "cannot exec in a container in status " + st.json();
            case RESUME -> "container not paused";
            case UPDATE -> "container " + id + " is not running";
            case CHECKPOINT -> "container " + id + " is not running (status " + st.json() + ")";
            case DELETE, DELETE_FORCE -> "cannot delete container " + id + " that is not stopped: " + st.json();
        };
    }
}
