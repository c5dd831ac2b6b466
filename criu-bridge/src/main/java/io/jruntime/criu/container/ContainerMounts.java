package io.jruntime.criu.container;

import io.jruntime.core.cgroups.Cgroup;
import io.jruntime.core.init.InitProtocol;
import io.jruntime.core.init.PlanRecord;
import io.jruntime.core.lifecycle.Nulls;
import io.jruntime.core.lifecycle.PlanBuilder;
import io.jruntime.spec.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mounts of a container as create made them, recomputed from config.json with the same {@link PlanBuilder}
 * decisions, for CRIU:
 * <ul>
 * <li>{@link #externals}: every mount whose source is outside the container (bind mounts, the container's
 * cgroup directories, host device nodes bound in a user namespace, /dev/null over masked files), keyed by its
 * destination inside the container. Keys are never host paths: on restore the same key maps to whatever the
 * new config.json provides, which is what migration to another host, id or bundle needs.</li>
 * <li>{@link #restoreMountpoints}: the mount records whose mountpoints restore must re-create before CRIU mounts
 * (all but those inside a filesystem CRIU restores or the kernel provides).</li>
 * </ul>
 */
final class ContainerMounts {
    /** Filesystems whose content CRIU restores itself or that the kernel makes up: nothing to prepare inside. */
    private static final List<String> SELF_CONTAINED = List.of("tmpfs", "proc", "sysfs", "mqueue", "devpts", "cgroup", "cgroup2");

    private final List<PlanRecord> records;
    private final Path rootfs;

    private ContainerMounts(List<PlanRecord> records, Path rootfs) {
        this.records = records;
        this.rootfs = rootfs;
    }

    static ContainerMounts of(Spec spec, String id, Path bundle, Path rootfs, Cgroup cgroup, boolean rootlessEuid) {
        return new ContainerMounts(PlanBuilder.forCreate(spec, new PlanBuilder.CreateInputs(id, bundle, rootfs, null,
                false, true, 0, rootlessEuid, cgroup, null)).records(), rootfs);
    }

    private static List<String> fields(PlanRecord r) {
        return List.of(r.textPayload().split("\0", -1));
    }

    /**
     * Destination to host source of every external mount, in mount order; masked files map to /dev/null. A bind
     * destination is keyed by where it really is, symlinks in the rootfs resolved (/conf -> /real/conf is mounted,
     * and seen by CRIU, at /real/conf).
     */
    Map<String, String> externals(List<String> maskedFiles) {
        Map<String, String> out = new LinkedHashMap<>();
        for (PlanRecord r : records) {
            List<String> f = fields(r);
            if (r.tag() == InitProtocol.MOUNT && f.get(6).equals("b")) {
                out.put(InRootPath.resolve(rootfs, f.get(1)), f.get(0));
            } else if (r.tag() == InitProtocol.DEVICE && f.get(7).equals("1")) {
                out.put(f.get(0), f.get(0));
            }
        }
        for (String m : maskedFiles) {
            out.put(m, "/dev/null");
        }
        return out;
    }

    /** Mount records in config order, minus those inside a self-contained filesystem of the container. */
    List<PlanRecord> restoreMountpoints() {
        List<PlanRecord> out = new ArrayList<>();
        List<String> selfContained = new ArrayList<>();
        for (PlanRecord r : records) {
            if (r.tag() != InitProtocol.MOUNT) {
                continue;
            }
            List<String> f = fields(r);
            String dst = f.get(1);
            boolean inside = selfContained.stream().anyMatch(d -> dst.startsWith(d.endsWith("/") ? d : d + "/"));
            if (!inside) {
                out.add(r);
            }
            if (SELF_CONTAINED.contains(f.get(2))) {
                selfContained.add(dst);
            }
        }
        return out;
    }

    /** Masked paths that are files in the running container (they are /dev/null binds, hence external). */
    static List<String> maskedFiles(Spec spec, int pid) {
        List<String> out = new ArrayList<>();
        if (spec.linux() == null) {
            return out;
        }
        for (String m : Nulls.list(spec.linux().maskedPaths())) {
            Path inContainer = Path.of("/proc/" + pid + "/root" + m);
            if (java.nio.file.Files.exists(inContainer) && !java.nio.file.Files.isDirectory(inContainer)) {
                out.add(m);
            }
        }
        return out;
    }
}
