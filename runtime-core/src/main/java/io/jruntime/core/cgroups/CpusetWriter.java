package io.jruntime.core.cgroups;

import io.jruntime.core.cgroups.CgroupResources.Cpu;

/** cpuset.cpus and cpuset.mems: the same files on cgroup v1 and v2 (runc fs/cpuset.go, fs2/cpuset.go). */
final class CpusetWriter {
    private static final String R = ResourceWriter.R;

    private CpusetWriter() {
    }

    static void write(ResourceWriter w, Cpu c) {
        boolean cpus = c.cpus() != null && !c.cpus().isEmpty();
        boolean mems = c.mems() != null && !c.mems().isEmpty();
        if (!cpus && !mems) {
            return;
        }
        ResourceWriter.Target t = w.target("cpuset", R + (cpus ? "cpu.cpus" : "cpu.mems"));
        if (cpus) {
            CgroupFiles.write(R + "cpu.cpus", t.dir(), "cpuset.cpus", c.cpus());
        }
        if (mems) {
            CgroupFiles.write(R + "cpu.mems", t.dir(), "cpuset.mems", c.mems());
        }
    }
}
