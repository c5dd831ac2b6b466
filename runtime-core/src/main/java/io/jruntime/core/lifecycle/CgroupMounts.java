package io.jruntime.core.lifecycle;

import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.cgroups.CgroupHost;
import io.jruntime.core.init.InitProtocol;
import io.jruntime.core.init.PlanRecord;
import io.jruntime.core.mounts.MountOptions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a config.json mount of type "cgroup" into what the container sees: its own cgroup directories,
 * bind-mounted where the host has the hierarchies (so /sys/fs/cgroup/memory in the container is the
 * container's memory cgroup), under a tmpfs when the host has v1 hierarchies, or as a single bind on a
 * unified host. The host's co-mount symlinks (cpu -> cpu,cpuacct) are repeated. As runc does, a hybrid host's
 * cgroup2 tree is not shown (v1 controllers are the ones that hold the limits there) and the tmpfs stays
 * writable.
 */
final class CgroupMounts {
    private static final Path HOST_ROOT = Path.of("/sys/fs/cgroup");
    private static final String SYSTEMD = "name=systemd";

    private CgroupMounts() {
    }

    /**
     * {@code cgroupns}: the container has a cgroup namespace (new or joined). The name=systemd hierarchy is then
     * mounted afresh inside it with source "systemd", as runc does (mountinfo shows "- cgroup systemd
     * rw,name=systemd"; a bind would show the host's source, "cgroup"). The controller hierarchies stay binds:
     * inside the namespace they show the same line runc's fresh mounts do (root "/", source "cgroup").
     */
    static List<PlanRecord> records(String destination, MountOptions.Parsed o, Cgroup cg, CgroupHost host,
            boolean cgroupns) {
        List<PlanRecord> out = new ArrayList<>();
        long bindFlags = MountOptions.MS_BIND | MountOptions.MS_REC
                | (o.flags() & (MountOptions.MS_RDONLY | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC));
        String unifiedDir = pathOf(cg, List.of(""));
        if (host.all().size() == 1 && unifiedDir != null) {
            out.add(bind(unifiedDir, destination, bindFlags));
            return out;
        }
        long tmpfsFlags = MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC;
        out.add(PlanRecord.text(InitProtocol.MOUNT, "tmpfs", destination, "tmpfs", Long.toString(tmpfsFlags), "0",
                "mode=755", "o", "d"));
        for (CgroupHost.Hierarchy h : host.all()) {
            String dir = pathOf(cg, h.keys());
            if (dir == null || h.v2() || !h.mountPoint().startsWith(HOST_ROOT) || h.mountPoint().equals(HOST_ROOT)) {
                continue;
            }
            String dst = destination + "/" + HOST_ROOT.relativize(h.mountPoint());
            if (cgroupns && h.controllers().contains(SYSTEMD)) {
                long flags = tmpfsFlags | (o.flags() & MountOptions.MS_RDONLY);
                out.add(PlanRecord.text(InitProtocol.MOUNT, "systemd", dst, "cgroup", Long.toString(flags), "0",
                        SYSTEMD, "o", "d"));
            } else {
                out.add(bind(dir, dst, bindFlags));
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(HOST_ROOT)) {
            for (Path p : ds) {
                if (Files.isSymbolicLink(p)) {
                    out.add(PlanRecord.text(InitProtocol.SYMLINK, Files.readSymbolicLink(p).toString(),
                            destination + "/" + p.getFileName()));
                }
            }
        } catch (IOException e) {
            // No host symlinks to repeat.
        }
        return out;
    }

    private static String pathOf(Cgroup cg, List<String> keys) {
        for (String k : keys) {
            Path p = cg.paths().get(k);
            if (p != null) {
                return p.toString();
            }
        }
        return null;
    }

    private static PlanRecord bind(String source, String destination, long flags) {
        return PlanRecord.text(InitProtocol.MOUNT, source, destination, "", Long.toString(flags), "0", "", "b", "d");
    }
}
