package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;

/** {@code pause}/{@code resume}: freeze and thaw the container's cgroup (v1 freezer or cgroup.freeze). */
public final class ContainerPauser {
    private ContainerPauser() {
    }

    public static void pause(RuntimeContext ctx, String id) {
        try (StateStore.Lock lock = ctx.store().lock(id)) {
            ContainerState s = ctx.store().load(id);
            Transitions.require(StatusResolver.statusLocked(ctx.store(), s), Transitions.Command.PAUSE, id);
            cgroup(s).freeze();
        }
    }

    public static void resume(RuntimeContext ctx, String id) {
        try (StateStore.Lock lock = ctx.store().lock(id)) {
            ContainerState s = ctx.store().load(id);
            Transitions.require(StatusResolver.statusLocked(ctx.store(), s), Transitions.Command.RESUME, id);
            cgroup(s).thaw();
        }
    }

    private static Cgroup cgroup(ContainerState s) {
        if (s.cgroupPaths().isEmpty()) {
            throw new JRuntimeException("container " + s.id() + " has no cgroup to freeze (rootless without cgroup access)");
        }
        return Cgroup.fromPaths(s.cgroupPaths());
    }
}
