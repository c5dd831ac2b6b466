package io.jruntime.core.lifecycle;

import io.jruntime.core.ContainerStateException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupResources;
import io.jruntime.core.cgroups.SpecResources;
import io.jruntime.core.ops.UpdateOptions;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.spec.Resources;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecValidator;

import java.nio.charset.StandardCharsets;

/**
 * {@code update}: change the limits of a live container. A --resources document (file or stdin) replaces the
 * per-field flags, as in runc; fields not given stay as they are.
 */
public final class ContainerUpdater {
    private ContainerUpdater() {
    }

    public static void update(RuntimeContext ctx, UpdateOptions o) {
        try (Container c = Container.lock(ctx.store(), o.id()).require(Transitions.Command.UPDATE)) {
            ContainerState s = c.state();
            if (s.cgroupPaths().isEmpty()) {
                throw new ContainerStateException("container " + o.id() + " has no cgroups to update");
            }
            Cgroup.fromPaths(s.cgroupPaths()).update(resources(o));
        }
    }

    static CgroupResources resources(UpdateOptions o) {
        if (o.resourcesJson() != null) {
            Resources r = SpecIO.parse(o.resourcesJson().getBytes(StandardCharsets.UTF_8), "--resources", Resources.class);
            SpecValidator.checkResources(r, "resources");
            return SpecResources.from(r);
        }
        CgroupResources.Memory mem = o.memory() == null && o.memoryReservation() == null && o.memorySwap() == null
                && o.kernelMemory() == null && o.kernelMemoryTcp() == null ? null
                : new CgroupResources.Memory(o.memory(), o.memoryReservation(), o.memorySwap(), o.kernelMemory(),
                o.kernelMemoryTcp(), null, null, null, null);
        CgroupResources.Cpu cpu = o.cpuShares() == null && o.cpuQuota() == null && o.cpuPeriod() == null
                && o.cpuRtRuntime() == null && o.cpuRtPeriod() == null && o.cpusetCpus() == null && o.cpusetMems() == null ? null
                : new CgroupResources.Cpu(o.cpuShares(), o.cpuQuota(), null, o.cpuPeriod(), o.cpuRtRuntime(),
                o.cpuRtPeriod(), o.cpusetCpus(), o.cpusetMems(), null);
        CgroupResources.Pids pids = o.pidsLimit() == null ? null : new CgroupResources.Pids(o.pidsLimit());
        CgroupResources.BlockIo blkio = o.blkioWeight() == null || o.blkioWeight() == 0 ? null
                : new CgroupResources.BlockIo(o.blkioWeight().intValue(), null, null, null, null, null, null);
        return new CgroupResources(null, mem, cpu, pids, blkio, null, null, null, null);
    }
}
