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

    private CgroupMounts() {
    }

    static List<PlanRecord> records(String destination, MountOptions.Parsed o, Cgroup cg, CgroupHost host) {
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
            out.add(bind(dir, destination + "/" + HOST_ROOT.relativize(h.mountPoint()), bindFlags));
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
