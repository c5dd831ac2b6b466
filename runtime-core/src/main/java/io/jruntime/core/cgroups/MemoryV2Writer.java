package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.Memory;

import java.nio.file.Files;
import java.nio.file.Path;

/** The memory controller on cgroup v2 (runc fs2/memory.go). */
final class MemoryV2Writer {
    private static final String R = ResourceWriter.R;

    private MemoryV2Writer() {
    }

    static void write(Path d, Memory m, Long limit, Long swap, Long reservation, Long kernel, Long kernelTcp) {
        boolean hasSwap = Files.exists(d.resolve("memory.swap.max"));
        if (limit != null && limit == -1 && swap == null && hasSwap) {
            swap = -1L;
        }
        String swapValue = null;
        if (swap != null) {
            if (swap == -1) {
                swapValue = "max";
            } else {
                long lim;
                if (limit != null) {
                    lim = limit;
                } else {
                    long cur = CgroupFiles.readU64(d.resolve("memory.max"));
                    lim = cur;
                }
                if (lim == -1) {
                    throw new JRuntimeException(R + "memory.swap: unable to set a swap limit without a memory limit");
                }
                if (swap < lim) {
                    throw new JRuntimeException(R + "memory.swap: memory+swap limit " + swap
                            + " should be >= memory limit " + lim);
                }
                swapValue = Long.toString(swap - lim);
            }
            if (!hasSwap) {
                if (swap == -1) {
                    swapValue = null;
                } else {
                    throw new JRuntimeException(R + "memory.swap: cannot set swap limit: swap accounting is not enabled "
                            + "(no memory.swap.max in " + d + ")");
                }
            }
        }
        if (limit != null) {
            try {
                CgroupFiles.write(R + "memory.limit", d, "memory.max", limit == -1 ? "max" : limit.toString());
            } catch (CgroupWriteException e) {
                if (e.kind() == CgroupFiles.Kind.BUSY) {
                    throw e.withHint(" (current usage " + CgroupFiles.readU64(d.resolve("memory.current")) + ")");
                }
                throw e;
            }
        }
        if (swapValue != null) {
            CgroupFiles.write(R + "memory.swap", d, "memory.swap.max", swapValue);
        }
        if (reservation != null) {
            CgroupFiles.write(R + "memory.reservation", d, "memory.low", reservation == -1 ? "max" : reservation.toString());
        }
        if (kernel != null) {
            Cgroup.log().warning(R + "memory.kernel is ignored: cgroup v2 has no kernel memory limit");
        }
        if (kernelTcp != null) {
            Cgroup.log().warning(R + "memory.kernelTCP is ignored: cgroup v2 has no kernel TCP memory limit");
        }
        if (m.swappiness() != null) {
            Cgroup.log().warning(R + "memory.swappiness is ignored: cgroup v2 has no per-cgroup swappiness");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            Cgroup.log().warning(R + "memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            Cgroup.log().warning(R + "memory.useHierarchy=false is ignored: cgroup v2 is always hierarchical");
        }
    }
}
