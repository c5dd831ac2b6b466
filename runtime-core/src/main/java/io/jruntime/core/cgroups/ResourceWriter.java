package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.BlockIo;
import io.jruntime.core.cgroups.CgroupResources.Cpu;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;
import io.jruntime.core.cgroups.CgroupResources.Memory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Writes {@link CgroupResources} into a {@link Cgroup}'s files: validates everything first, finds each controller's
 * directory (v1 hierarchy or cgroup2, enabling it on a hybrid host) and hands the values to the class for that
 * controller and version ({@code CpuV1Writer}, {@code MemoryV2Writer}, ... as runc's fs/ and fs2/).
 */
final class ResourceWriter {
    static final String R = "linux.resources.";

    private final Cgroup cg;
    private final boolean update;

    ResourceWriter(Cgroup cg, boolean update) {
        this.cg = cg;
        this.update = update;
    }

    /** Where a controller's files are: a v1 directory or the cgroup2 directory. */
    record Target(Path dir, boolean v2) {
    }

    void apply(CgroupResources r) {
        validate(r);
        if (r.cpu() != null) {
            CpusetWriter.write(this, r.cpu());
            cpu(r.cpu());
        }
        if (r.memory() != null) {
            memory(r.memory());
        }
        if (r.pids() != null && r.pids().limit() != null) {
            PidsWriter.write(this, r.pids().limit());
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO());
        }
        if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) {
            HugetlbWriter.write(this, r.hugepageLimits());
        }
        if (r.network() != null) {
            NetworkV1Writer.write(this, r.network());
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            RdmaWriter.write(this, r.rdma());
        }
        if (r.devices() != null) {
            devices(r.devices());
        }
        if (r.unified() != null && !r.unified().isEmpty()) {
            UnifiedV2Writer.write(cg, r.unified());
        }
    }

    // ---- validation (before any write, so a bad value does not leave half a configuration) --------------------------

    static void validate(CgroupResources r) {
        Memory m = r.memory();
        if (m != null) {
            checkMin(m.limit(), "memory.limit");
            checkMin(m.swap(), "memory.swap");
            checkMin(m.reservation(), "memory.reservation");
            checkMin(m.kernel(), "memory.kernel");
            checkMin(m.kernelTCP(), "memory.kernelTCP");
            if (m.swappiness() != null && (m.swappiness() < 0 || m.swappiness() > 100)) {
                throw new InvalidArgumentException(R + "memory.swappiness: invalid value " + m.swappiness()
                        + "; valid memory swappiness range is 0-100");
            }
            Long limit = nz(m.limit());
            Long swap = nz(m.swap());
            if (limit != null && swap != null && limit != -1 && swap != -1 && swap < limit) {
                throw new InvalidArgumentException(R + "memory.swap: memory+swap limit " + swap
                        + " should be >= memory limit " + limit + " (swap is the total of memory and swap)");
            }
        }
        Cpu c = r.cpu();
        if (c != null) {
            if (c.shares() != null && c.shares() < 0) {
                throw new InvalidArgumentException(R + "cpu.shares: must not be negative: " + c.shares());
            }
            if (c.period() != null && c.period() < 0) {
                throw new InvalidArgumentException(R + "cpu.period: must not be negative: " + c.period());
            }
            if (c.burst() != null && c.burst() < 0) {
                throw new InvalidArgumentException(R + "cpu.burst: must not be negative: " + c.burst());
            }
        }
        BlockIo b = r.blockIO();
        if (b != null) {
            if (b.weight() != null && b.weight() != 0 && (b.weight() < 10 || b.weight() > 1000)) {
                throw new InvalidArgumentException(R + "blockIO.weight: " + b.weight() + " is outside 10-1000");
            }
            if (b.leafWeight() != null && b.leafWeight() != 0 && (b.leafWeight() < 10 || b.leafWeight() > 1000)) {
                throw new InvalidArgumentException(R + "blockIO.leafWeight: " + b.leafWeight() + " is outside 10-1000");
            }
        }
        if (r.devices() != null) {
            DeviceCgroupRules.emulate(r.devices()); // throws on bad type/access/numbers
        }
        if (r.hugepageLimits() != null) {
            for (int i = 0; i < r.hugepageLimits().size(); i++) {
                String ps = r.hugepageLimits().get(i).pageSize();
                if (ps == null || !ps.matches("[0-9]+[KMG]B")) {
                    throw new InvalidArgumentException(R + "hugepageLimits[" + i + "].pageSize: \"" + ps
                            + "\" is not a page size like 2MB or 1GB");
                }
            }
        }
        if (r.unified() != null) {
            for (String k : r.unified().keySet()) {
                if (k.isEmpty() || k.contains("/") || k.startsWith(".") || !k.contains(".")) {
                    throw new InvalidArgumentException(R + "unified[\"" + k + "\"]: not a cgroup v2 file name");
                }
            }
        }
    }

    private static void checkMin(Long v, String field) {
        if (v != null && v < -1) {
            throw new InvalidArgumentException(R + field + ": invalid value " + v + " (use -1 for unlimited)");
        }
    }

    /** runc treats 0 as "not set" for these values. */
    static Long nz(Long v) {
        return v == null || v == 0 ? null : v;
    }

    // ---- where ------------------------------------------------------------------------------------------------------

    Target target(String controller, String field) {
        Path p = cg.path(controller);
        if (p != null) {
            return new Target(p, false);
        }
        Path u = cg.path("");
        if (u != null && cg.mode() == CgroupLayout.UNIFIED) {
            Set<String> avail = CgroupFiles.readControllers(u.resolve("cgroup.controllers"));
            if (!avail.contains(controller)) {
                throw new JRuntimeException(field + ": the " + controller + " controller is not enabled for " + u
                        + " (cgroup.controllers: " + String.join(" ", avail) + "); the parent's cgroup.subtree_control "
                        + "lacks it - a cgroup v2 parent that holds processes itself cannot delegate controllers");
            }
            return new Target(u, true);
        }
        if (u != null && cg.mode() == CgroupLayout.HYBRID && enableInHybrid(u, controller, field)) {
            return new Target(u, true);
        }
        String why;
        if (cg.rootless()) {
            why = "its cgroup could not be created (rootless)";
        } else if (u != null) {
            why = "it is neither mounted as a cgroup v1 hierarchy nor available in cgroup v2";
        } else {
            why = "it is not mounted as a cgroup v1 hierarchy";
        }
        throw new JRuntimeException(field + ": the " + controller + " controller is not available for this container: " + why);
    }

    /**
     * On a hybrid host, a controller that is only in cgroup2 (e.g. hugetlb when it is not mounted as v1) can still be
     * used: enable it in cgroup.subtree_control from the cgroup2 root down to the container's parent.
     */
    static boolean enableInHybrid(Path leaf, String controller, String field) {
        if (CgroupFiles.readControllers(leaf.resolve("cgroup.controllers")).contains(controller)) {
            return true;
        }
        CgroupHost host = CgroupHost.detect();
        if (host.unified() == null) {
            return false;
        }
        Path root = host.unified().mountPoint();
        if (!leaf.startsWith(root) || !CgroupFiles.readControllers(root.resolve("cgroup.controllers")).contains(controller)) {
            return false;
        }
        Path rel = root.relativize(leaf);
        Path cur = root;
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (!CgroupFiles.readControllers(cur.resolve("cgroup.subtree_control")).contains(controller)) {
                CgroupFiles.write(field, cur, "cgroup.subtree_control", "+" + controller);
            }
            cur = cur.resolve(rel.getName(i));
        }
        return CgroupFiles.readControllers(leaf.resolve("cgroup.controllers")).contains(controller);
    }

    // ---- one class per controller and cgroup version writes the files (as runc's fs/ and fs2/) --------------------

    private void cpu(Cpu c) {
        Long shares = nz(c.shares());
        Long quota = nz(c.quota());
        Long period = nz(c.period());
        Long burst = c.burst();
        Long rtRuntime = nz(c.realtimeRuntime());
        Long rtPeriod = nz(c.realtimePeriod());
        Long idle = c.idle();
        if (shares == null && quota == null && period == null && burst == null && rtRuntime == null && rtPeriod == null
                && idle == null) {
            return;
        }
        String first = shares != null ? "cpu.shares" : quota != null ? "cpu.quota" : period != null ? "cpu.period"
                : burst != null ? "cpu.burst" : rtRuntime != null ? "cpu.realtimeRuntime" : rtPeriod != null
                ? "cpu.realtimePeriod" : "cpu.idle";
        Target t = target("cpu", R + first);
        Path d = t.dir();
        if (!t.v2()) {
            CpuV1Writer.write(d, shares, quota, period, burst, rtRuntime, rtPeriod, idle);
        } else {
            CpuV2Writer.write(d, shares, quota, period, burst, rtRuntime, rtPeriod, idle);
        }
    }

    private void memory(Memory m) {
        Long limit = nz(m.limit());
        Long swap = nz(m.swap());
        Long reservation = nz(m.reservation());
        Long kernel = nz(m.kernel());
        Long kernelTcp = nz(m.kernelTCP());
        boolean check = Boolean.TRUE.equals(m.checkBeforeUpdate());
        if (limit == null && swap == null && reservation == null && kernel == null && kernelTcp == null
                && m.swappiness() == null && m.disableOOMKiller() == null && m.useHierarchy() == null) {
            return;
        }
        String first = limit != null ? "memory.limit" : swap != null ? "memory.swap" : reservation != null
                ? "memory.reservation" : kernel != null ? "memory.kernel" : kernelTcp != null ? "memory.kernelTCP"
                : m.swappiness() != null ? "memory.swappiness" : m.disableOOMKiller() != null ? "memory.disableOOMKiller"
                : "memory.useHierarchy";
        Target t = target("memory", R + first);
        Path d = t.dir();
        if (check && limit != null && limit > 0) {
            long usage = CgroupFiles.readU64(d.resolve(t.v2() ? "memory.current" : "memory.usage_in_bytes"));
            if (Long.compareUnsigned(limit, usage) < 0) {
                throw new JRuntimeException(R + "memory.limit: rejecting memory limit " + limit
                        + " below the current usage " + usage + " (checkBeforeUpdate)");
            }
        }
        if (!t.v2()) {
            MemoryV1Writer.write(d, m, limit, swap, reservation, kernel, kernelTcp, update);
        } else {
            MemoryV2Writer.write(d, m, limit, swap, reservation, kernel, kernelTcp);
        }
    }

    private void blockIO(BlockIo b) {
        if (b.isEmpty()) {
            return;
        }
        Target t = target(cg.path("blkio") != null || cg.mode() == CgroupLayout.LEGACY ? "blkio" : "io", R + "blockIO");
        Path d = t.dir();
        if (!t.v2()) {
            BlkioV1Writer.write(d, b);
        } else {
            IoV2Writer.write(d, b);
        }
    }

    // ---- devices -----------------------------------------------------------------------------------------------------

    private void devices(List<DeviceRule> rules) {
        if (cg.rootless()) {
            try {
                devicesStrict(rules);
            } catch (JRuntimeException e) {
                Cgroup.log().warning("rootless cgroups: device rules not applied: " + e.getMessage()
                        + " (device nodes cannot be created in a user namespace; only bind-mounted ones exist)");
            }
            return;
        }
        devicesStrict(rules);
    }

    private void devicesStrict(List<DeviceRule> rules) {
        DeviceCgroupRules.State target = DeviceCgroupRules.emulate(rules);
        Path v1 = cg.path("devices");
        if (v1 != null) {
            DevicesV1Writer.write(v1, target);
            return;
        }
        Path u = cg.path("");
        if (u != null) {
            cg.deviceFilterLoader().attach(u, DeviceFilter.compile(target));
            return;
        }
        throw new JRuntimeException(R + "devices: no devices cgroup for this container"
                + (cg.rootless() ? " (rootless: it could not be created)" : ""));
    }
}
