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
        try (Container c = Container.lock(ctx.store(), id).require(Transitions.Command.PAUSE)) {
            cgroup(c).freeze();
        }
    }

    public static void resume(RuntimeContext ctx, String id) {
        try (Container c = Container.lock(ctx.store(), id).require(Transitions.Command.RESUME)) {
            cgroup(c).thaw();
        }
    }

    private static Cgroup cgroup(Container c) {
        if (c.cgroup() == null) {
            throw new JRuntimeException("container " + c.state().id() + " has no cgroup to freeze (rootless without cgroup access)");
        }
        return c.cgroup();
    }
}
