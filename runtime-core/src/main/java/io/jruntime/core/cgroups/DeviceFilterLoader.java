package io.jruntime.core.cgroups;

import io.jruntime.core.NotImplementedException;

import java.nio.file.Path;

/**
 * Loads a {@link DeviceFilter} into the kernel (bpf(2) BPF_PROG_LOAD, type BPF_PROG_TYPE_CGROUP_DEVICE) and attaches
 * it to a cgroup v2 directory (BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, replacing the programs this runtime attached
 * earlier). Needed only where devices are controlled through cgroup v2 (unified hosts).
 */
public interface DeviceFilterLoader {
    void attach(Path cgroupDirectory, DeviceFilter filter);

    /** The loader used until the bpf(2) binding exists: it refuses, so nothing pretends to restrict devices. */
    static DeviceFilterLoader unsupported() {
        return (dir, filter) -> {
            throw new NotImplementedException("cgroup v2 device filter (bpf(2) BPF_PROG_LOAD/BPF_PROG_ATTACH with "
                    + "BPF_CGROUP_DEVICE on " + dir + ", " + filter.instructions().size() + " instructions compiled)");
        };
    }
}
