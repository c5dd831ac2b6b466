package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Bpf;
import io.jruntime.core.sys.Fds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Attaches a {@link DeviceFilter} to a cgroup v2 directory with bpf(2): BPF_PROG_LOAD (BPF_PROG_TYPE_CGROUP_DEVICE),
 * then BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI), then BPF_PROG_DETACH of the programs that were attached
 * before - so while both are attached the stricter intersection applies and there is no window without a filter.
 * The bpf calls themselves are typed methods of {@link io.jruntime.core.sys.Bpf}.
 */
public final class BpfDeviceFilterLoader implements DeviceFilterLoader {
    private static final int MAX_ATTACHED = 64;

    @Override
    public void attach(Path cgroupDirectory, DeviceFilter filter) {
        int dirFd = Fds.open(cgroupDirectory.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        List<Integer> oldFds = new ArrayList<>();
        int progFd = -1;
        try {
            // 1. what is attached now
            for (int id : query(dirFd, cgroupDirectory)) {
                try {
                    oldFds.add(Bpf.bpfProgGetFdById(id));
                } catch (SyscallException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw error("BPF_PROG_GET_FD_BY_ID " + id, e, cgroupDirectory);
                    }
                }
            }
            // 2. load
            StringBuilder verifier = new StringBuilder();
            try {
                progFd = Bpf.bpfProgLoad(Bpf.BPF_PROG_TYPE_CGROUP_DEVICE, filter.bytecode(), DeviceFilter.LICENSE, verifier);
            } catch (SyscallException e) {
                throw new JRuntimeException("linux.resources.devices: cannot load the cgroup v2 device filter (bpf "
                        + "BPF_PROG_LOAD): " + Errno.describe(e.errno())
                        + (verifier.isEmpty() ? "" : "; verifier: " + verifier), e);
            }
            // 3. attach, allowing the old ones to stay until they are detached
            try {
                Bpf.bpfProgAttach(dirFd, progFd, Bpf.BPF_CGROUP_DEVICE, Bpf.BPF_F_ALLOW_MULTI);
            } catch (SyscallException e) {
                throw error("BPF_PROG_ATTACH", e, cgroupDirectory);
            }
            // 4. detach the previous ones
            for (int old : oldFds) {
                try {
                    Bpf.bpfProgDetach(dirFd, old, Bpf.BPF_CGROUP_DEVICE);
                } catch (SyscallException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw error("BPF_PROG_DETACH of the previous filter", e, cgroupDirectory);
                    }
                }
            }
        } finally {
            if (progFd >= 0) {
                Fds.close(progFd);
            }
            for (int fd : oldFds) {
                Fds.close(fd);
            }
            Fds.close(dirFd);
        }
    }

    /** Ids of the device programs attached to the cgroup itself (not inherited). */
    static int[] query(int dirFd, Path dir) {
        try {
            return Bpf.bpfProgQuery(dirFd, Bpf.BPF_CGROUP_DEVICE, MAX_ATTACHED);
        } catch (SyscallException e) {
            throw error("BPF_PROG_QUERY", e, dir);
        }
    }

    /** The ids attached to a cgroup directory (for tests and diagnostics). */
    public static int[] attachedProgramIds(Path cgroupDirectory) {
        int dirFd = Fds.open(cgroupDirectory.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        try {
            return query(dirFd, cgroupDirectory);
        } finally {
            Fds.close(dirFd);
        }
    }

    private static JRuntimeException error(String what, SyscallException e, Path dir) {
        return new JRuntimeException("linux.resources.devices: cannot attach the cgroup v2 device filter to " + dir + " (bpf "
                + what + "): " + Errno.describe(e.errno()), e);
    }
}
