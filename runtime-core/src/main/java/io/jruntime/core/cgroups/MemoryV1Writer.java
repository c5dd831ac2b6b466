package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.Memory;

import java.nio.file.Files;
import java.nio.file.Path;

/** The memory controller on cgroup v1 (runc fs/memory.go). */
final class MemoryV1Writer {
    private static final String R = ResourceWriter.R;

    private MemoryV1Writer() {
    }

    static void write(Path d, Memory m, Long limit, Long swap, Long reservation, Long kernel, Long kernelTcp,
                      boolean update) {
        boolean hasMemsw = Files.exists(d.resolve("memory.memsw.limit_in_bytes"));
        if (limit != null && limit == -1 && swap == null && hasMemsw) {
            swap = -1L; // unlimited memory means unlimited memory+swap too (as runc)
        }
        if (swap != null && !hasMemsw) {
            if (swap == -1) {
                swap = null;
            } else {
                throw new JRuntimeException(R + "memory.swap: cannot set memory+swap limit " + swap + ": swap accounting "
                        + "is not enabled in this kernel (no memory.memsw.limit_in_bytes in " + d + ")");
            }
        }
        if (limit != null && swap != null) {
            long curLimit = CgroupFiles.readU64(d.resolve("memory.limit_in_bytes"));
            // memory.limit <= memory.memsw.limit must hold after every single write
            if (swap == -1 || Long.compareUnsigned(curLimit, swap) < 0) {
                writeMemsw(d, swap);
                writeLimit(d, limit, hasMemsw);
            } else {
                writeLimit(d, limit, hasMemsw);
                writeMemsw(d, swap);
            }
        } else if (limit != null) {
            writeLimit(d, limit, hasMemsw);
        } else if (swap != null) {
            writeMemsw(d, swap);
        }
        if (reservation != null) {
            CgroupFiles.write(R + "memory.reservation", d, "memory.soft_limit_in_bytes", reservation.toString());
        }
        if (kernel != null) {
            if (Files.exists(d.resolve("memory.kmem.limit_in_bytes"))) {
                CgroupFiles.write(R + "memory.kernel", d, "memory.kmem.limit_in_bytes", kernel.toString());
            } else {
                Cgroup.log().warning(R + "memory.kernel is ignored: this kernel has no kernel memory limit "
                        + "(memory.kmem.limit_in_bytes)");
            }
        }
        if (kernelTcp != null) {
            if (Files.exists(d.resolve("memory.kmem.tcp.limit_in_bytes"))) {
                CgroupFiles.write(R + "memory.kernelTCP", d, "memory.kmem.tcp.limit_in_bytes", kernelTcp.toString());
            } else {
                Cgroup.log().warning(R + "memory.kernelTCP is ignored: this kernel has no memory.kmem.tcp.limit_in_bytes");
            }
        }
        if (m.swappiness() != null) {
            CgroupFiles.write(R + "memory.swappiness", d, "memory.swappiness", m.swappiness().toString());
        }
        if (m.disableOOMKiller() != null && (m.disableOOMKiller() || update)) {
            CgroupFiles.write(R + "memory.disableOOMKiller", d, "memory.oom_control", m.disableOOMKiller() ? "1" : "0");
        }
        if (m.useHierarchy() != null) {
            String want = m.useHierarchy() ? "1" : "0";
            if (!want.equals(CgroupFiles.readTrim(d.resolve("memory.use_hierarchy")))) {
                CgroupFiles.write(R + "memory.useHierarchy", d, "memory.use_hierarchy", want);
            }
        }
    }

    private static void writeLimit(Path d, long limit, boolean hasMemsw) {
        try {
            CgroupFiles.write(R + "memory.limit", d, "memory.limit_in_bytes", Long.toString(limit));
        } catch (CgroupWriteException e) {
            if (e.kind() == CgroupFiles.Kind.BUSY) {
                throw e.withHint(" (current usage " + CgroupFiles.readU64(d.resolve("memory.usage_in_bytes"))
                        + ", peak usage " + CgroupFiles.readU64(d.resolve("memory.max_usage_in_bytes")) + ")");
            }
            if (e.kind() == CgroupFiles.Kind.INVALID && hasMemsw) {
                throw e.withHint(" (the memory+swap limit is " + CgroupFiles.readU64(d.resolve("memory.memsw.limit_in_bytes"))
                        + " and the memory limit may not exceed it; set " + R + "memory.swap as well)");
            }
            throw e;
        }
    }

    private static void writeMemsw(Path d, long swap) {
        try {
            CgroupFiles.write(R + "memory.swap", d, "memory.memsw.limit_in_bytes", Long.toString(swap));
        } catch (CgroupWriteException e) {
            if (e.kind() == CgroupFiles.Kind.BUSY) {
                throw e.withHint(" (current memory+swap usage " + CgroupFiles.readU64(d.resolve("memory.memsw.usage_in_bytes")) + ")");
            }
            if (e.kind() == CgroupFiles.Kind.INVALID) {
                throw e.withHint(" (memory+swap may not be below the memory limit "
                        + CgroupFiles.readU64(d.resolve("memory.limit_in_bytes")) + ")");
            }
            throw e;
        }
    }
}
