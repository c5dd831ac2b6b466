package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.BlockIo;
import io.jruntime.core.cgroups.CgroupResources.Cpu;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;
import io.jruntime.core.cgroups.CgroupResources.HugepageLimit;
import io.jruntime.core.cgroups.CgroupResources.Memory;
import io.jruntime.core.cgroups.CgroupResources.Network;
import io.jruntime.core.cgroups.CgroupResources.Rdma;
import io.jruntime.core.cgroups.CgroupResources.ThrottleDevice;
import io.jruntime.core.cgroups.CgroupResources.WeightDevice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Writes {@link CgroupResources} into a {@link Cgroup}'s files, v1 or v2 per controller. */
final class ResourceWriter {
    private static final String R = "linux.resources.";

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
            cpuset(r.cpu());
            cpu(r.cpu());
        }
        if (r.memory() != null) {
            memory(r.memory());
        }
        if (r.pids() != null && r.pids().limit() != null) {
            pids(r.pids().limit());
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO());
        }
        if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) {
            hugetlb(r.hugepageLimits());
        }
        if (r.network() != null) {
            network(r.network());
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            rdma(r.rdma());
        }
        if (r.devices() != null) {
            devices(r.devices());
        }
        if (r.unified() != null && !r.unified().isEmpty()) {
            unified(r.unified());
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
            DeviceRules.emulate(r.devices()); // throws on bad type/access/numbers
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
        if (u != null && cg.mode() == CgroupMode.UNIFIED) {
            Set<String> avail = CgroupFiles.readControllers(u.resolve("cgroup.controllers"));
            if (!avail.contains(controller)) {
                throw new JRuntimeException(field + ": the " + controller + " controller is not enabled for " + u
                        + " (cgroup.controllers: " + String.join(" ", avail) + "); the parent's cgroup.subtree_control "
                        + "lacks it - a cgroup v2 parent that holds processes itself cannot delegate controllers");
            }
            return new Target(u, true);
        }
        if (u != null && cg.mode() == CgroupMode.HYBRID && enableInHybrid(u, controller, field)) {
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
    private boolean enableInHybrid(Path leaf, String controller, String field) {
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

    // ---- cpu ---------------------------------------------------------------------------------------------------------

    private void cpuset(Cpu c) {
        boolean cpus = c.cpus() != null && !c.cpus().isEmpty();
        boolean mems = c.mems() != null && !c.mems().isEmpty();
        if (!cpus && !mems) {
            return;
        }
        Target t = target("cpuset", R + (cpus ? "cpu.cpus" : "cpu.mems"));
        if (cpus) {
            CgroupFiles.write(R + "cpu.cpus", t.dir(), "cpuset.cpus", c.cpus());
        }
        if (mems) {
            CgroupFiles.write(R + "cpu.mems", t.dir(), "cpuset.mems", c.mems());
        }
    }

    /** runc's cgroup v1 shares (2..262144) to v2 weight (1..10000) conversion; 0 stays 0 (unset). */
    static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** v1 blkio weight (10..1000) to v2 io.weight (1..10000). */
    static long blkioWeightToIoWeight(long w) {
        if (w == 0) {
            return 0;
        }
        return 1 + (w - 10) * 9999 / 990;
    }

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
            if (rtPeriod != null || rtRuntime != null) {
                writeOrdered(R + "cpu.realtimePeriod", d, "cpu.rt_period_us", rtPeriod,
                        R + "cpu.realtimeRuntime", "cpu.rt_runtime_us", rtRuntime);
            }
            if (shares != null) {
                CgroupFiles.write(R + "cpu.shares", d, "cpu.shares", Long.toString(shares));
                long read = CgroupFiles.readU64(d.resolve("cpu.shares"));
                if (shares > read) {
                    throw new JRuntimeException(R + "cpu.shares: " + shares + " is too large; the maximum allowed cpu-shares is " + read);
                } else if (shares < read) {
                    throw new JRuntimeException(R + "cpu.shares: " + shares + " is too small; the minimum allowed cpu-shares is " + read);
                }
            }
            String quotaText = quota == null ? null : Long.toString(quota < 0 ? -1 : quota);
            bandwidth(d, "cpu.cfs_period_us", period == null ? null : period.toString(), "cpu.cfs_quota_us", quotaText,
                    "cpu.cfs_burst_us", burst == null ? null : burst.toString());
            if (idle != null) {
                CgroupFiles.write(R + "cpu.idle", d, "cpu.idle", Long.toString(idle));
            }
            return;
        }
        // cgroup v2
        if (rtPeriod != null || rtRuntime != null) {
            throw new JRuntimeException(R + (rtRuntime != null ? "cpu.realtimeRuntime" : "cpu.realtimePeriod")
                    + ": real-time scheduling limits are not supported on cgroup v2");
        }
        if (shares != null) {
            CgroupFiles.write(R + "cpu.shares", d, "cpu.weight", Long.toString(sharesToWeight(shares)));
        }
        if (quota != null || period != null || burst != null) {
            String cpuMax = null;
            if (quota != null || period != null) {
                String[] cur = CgroupFiles.readOptional(d.resolve("cpu.max")) == null ? new String[]{"max", "100000"}
                        : CgroupFiles.readTrim(d.resolve("cpu.max")).split("\\s+");
                String q = quota == null ? cur[0] : quota < 0 ? "max" : quota.toString();
                String p = period == null ? (cur.length > 1 ? cur[1] : "100000") : period.toString();
                cpuMax = q + " " + p;
            }
            bandwidth(d, null, null, "cpu.max", cpuMax, "cpu.max.burst", burst == null ? null : burst.toString());
        }
        if (idle != null) {
            CgroupFiles.write(R + "cpu.idle", d, "cpu.idle", Long.toString(idle));
        }
    }

    /**
     * CFS bandwidth: period, quota and burst in an order the kernel accepts whichever way the values move. A smaller
     * period can exceed the parent's quota ratio until the quota is written; a burst may not exceed the quota.
     */
    private void bandwidth(Path d, String periodFile, String period, String quotaFile, String quota, String burstFile,
                           String burst) {
        String pendingPeriod = null;
        if (period != null) {
            try {
                CgroupFiles.write(R + "cpu.period", d, periodFile, period);
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || quota == null) {
                    throw e;
                }
                pendingPeriod = period;
            }
        }
        boolean burstPending = false;
        if (burst != null) {
            try {
                CgroupFiles.write(R + "cpu.burst", d, burstFile, burst);
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || quota == null) {
                    throw burstHint(e, d, burstFile);
                }
                burstPending = true;
            }
        }
        if (quota != null) {
            CgroupFiles.write(R + "cpu.quota", d, quotaFile, quota);
        }
        if (pendingPeriod != null) {
            CgroupFiles.write(R + "cpu.period", d, periodFile, pendingPeriod);
        }
        if (burstPending) {
            try {
                CgroupFiles.write(R + "cpu.burst", d, burstFile, burst);
            } catch (CgroupWriteException e) {
                throw burstHint(e, d, burstFile);
            }
        }
    }

    private static CgroupWriteException burstHint(CgroupWriteException e, Path d, String burstFile) {
        if (e.kind() == CgroupFiles.Kind.NOT_FOUND) {
            return e.withHint(" (this kernel has no CPU burst support)");
        }
        if (e.kind() == CgroupFiles.Kind.INVALID) {
            return e.withHint(" (the burst must not exceed the quota, and needs a quota)");
        }
        return e;
    }

    /** Writes file A then file B; if A fails with EINVAL and B is set, writes B first and A after. */
    private void writeOrdered(String fieldA, Path d, String fileA, Long a, String fieldB, String fileB, Long b) {
        if (a != null) {
            try {
                CgroupFiles.write(fieldA, d, fileA, a.toString());
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || b == null) {
                    throw e;
                }
                CgroupFiles.write(fieldB, d, fileB, b.toString());
                CgroupFiles.write(fieldA, d, fileA, a.toString());
                return;
            }
        }
        if (b != null) {
            CgroupFiles.write(fieldB, d, fileB, b.toString());
        }
    }

    // ---- memory ------------------------------------------------------------------------------------------------------

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
            memoryV1(d, m, limit, swap, reservation, kernel, kernelTcp);
        } else {
            memoryV2(d, m, limit, swap, reservation, kernel, kernelTcp);
        }
    }

    private void memoryV1(Path d, Memory m, Long limit, Long swap, Long reservation, Long kernel, Long kernelTcp) {
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

    private void writeLimit(Path d, long limit, boolean hasMemsw) {
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

    private void writeMemsw(Path d, long swap) {
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

    private void memoryV2(Path d, Memory m, Long limit, Long swap, Long reservation, Long kernel, Long kernelTcp) {
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

    // ---- pids --------------------------------------------------------------------------------------------------------

    private void pids(long limit) {
        Target t = target("pids", R + "pids.limit");
        CgroupFiles.write(R + "pids.limit", t.dir(), "pids.max", limit > 0 ? Long.toString(limit) : "max");
    }

    // ---- block I/O ---------------------------------------------------------------------------------------------------

    private void blockIO(BlockIo b) {
        if (b.isEmpty()) {
            return;
        }
        Target t = target(cg.path("blkio") != null || cg.mode() == CgroupMode.LEGACY ? "blkio" : "io", R + "blockIO");
        Path d = t.dir();
        if (!t.v2()) {
            boolean bfq = !Files.exists(d.resolve("blkio.weight")) && Files.exists(d.resolve("blkio.bfq.weight"));
            if (b.weight() != null && b.weight() != 0) {
                CgroupFiles.write(R + "blockIO.weight", d, bfq ? "blkio.bfq.weight" : "blkio.weight", b.weight().toString());
            }
            if (b.leafWeight() != null && b.leafWeight() != 0) {
                CgroupFiles.write(R + "blockIO.leafWeight", d, "blkio.leaf_weight", b.leafWeight().toString());
            }
            if (b.weightDevice() != null) {
                for (int i = 0; i < b.weightDevice().size(); i++) {
                    WeightDevice w = b.weightDevice().get(i);
                    if (w.weight() != null) {
                        CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].weight", d,
                                bfq ? "blkio.bfq.weight_device" : "blkio.weight_device",
                                w.major() + ":" + w.minor() + " " + w.weight());
                    }
                    if (w.leafWeight() != null) {
                        CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].leafWeight", d, "blkio.leaf_weight_device",
                                w.major() + ":" + w.minor() + " " + w.leafWeight());
                    }
                }
            }
            throttleV1(d, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
            throttleV1(d, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
            throttleV1(d, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", b.throttleReadIOPSDevice());
            throttleV1(d, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice());
            return;
        }
        boolean bfq = Files.exists(d.resolve("io.bfq.weight"));
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                CgroupFiles.write(R + "blockIO.weight", d, "io.bfq.weight", b.weight().toString());
            } else {
                CgroupFiles.write(R + "blockIO.weight", d, "io.weight", "default " + blkioWeightToIoWeight(b.weight()));
            }
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            Cgroup.log().warning(R + "blockIO.leafWeight is ignored: cgroup v2 has no leaf weight");
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                WeightDevice w = b.weightDevice().get(i);
                if (w.weight() != null) {
                    CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].weight", d, bfq ? "io.bfq.weight" : "io.weight",
                            w.major() + ":" + w.minor() + " " + (bfq ? w.weight() : blkioWeightToIoWeight(w.weight())));
                }
            }
        }
        throttleV2(d, "throttleReadBpsDevice", "rbps", b.throttleReadBpsDevice());
        throttleV2(d, "throttleWriteBpsDevice", "wbps", b.throttleWriteBpsDevice());
        throttleV2(d, "throttleReadIOPSDevice", "riops", b.throttleReadIOPSDevice());
        throttleV2(d, "throttleWriteIOPSDevice", "wiops", b.throttleWriteIOPSDevice());
    }

    private static void throttleV1(Path d, String field, String file, List<ThrottleDevice> l) {
        if (l == null) {
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            ThrottleDevice t = l.get(i);
            CgroupFiles.write(R + "blockIO." + field + "[" + i + "]", d, file, t.major() + ":" + t.minor() + " " + t.rate());
        }
    }

    private static void throttleV2(Path d, String field, String key, List<ThrottleDevice> l) {
        if (l == null) {
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            ThrottleDevice t = l.get(i);
            CgroupFiles.write(R + "blockIO." + field + "[" + i + "]", d, "io.max",
                    t.major() + ":" + t.minor() + " " + key + "=" + (t.rate() == 0 ? "max" : Long.toString(t.rate())));
        }
    }

    // ---- hugetlb -----------------------------------------------------------------------------------------------------

    private void hugetlb(List<HugepageLimit> limits) {
        Target t = target("hugetlb", R + "hugepageLimits");
        Path d = t.dir();
        String suffix = t.v2() ? ".max" : ".limit_in_bytes";
        for (int i = 0; i < limits.size(); i++) {
            HugepageLimit h = limits.get(i);
            String file = "hugetlb." + h.pageSize() + suffix;
            String field = R + "hugepageLimits[" + i + "]";
            if (!Files.exists(d.resolve(file))) {
                throw new JRuntimeException(field + ".pageSize: huge page size " + h.pageSize() + " is not supported here ("
                        + d.resolve(file) + " does not exist; available: " + String.join(", ", hugePageSizes(d, suffix)) + ")");
            }
            String v = h.limit() < 0 ? (t.v2() ? "max" : "-1") : Long.toString(h.limit());
            CgroupFiles.write(field + ".limit", d, file, v);
            String rsvd = "hugetlb." + h.pageSize() + ".rsvd" + suffix;
            if (Files.exists(d.resolve(rsvd))) {
                CgroupFiles.write(field + ".limit", d, rsvd, v);
            }
        }
    }

    static List<String> hugePageSizes(Path d, String suffix) {
        Set<String> s = new TreeSet<>();
        try (var ds = Files.newDirectoryStream(d, "hugetlb.*" + suffix)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String mid = n.substring("hugetlb.".length(), n.length() - suffix.length());
                if (!mid.contains(".")) {
                    s.add(mid);
                }
            }
        } catch (Exception e) {
            // none
        }
        return new ArrayList<>(s);
    }

    // ---- network, rdma -----------------------------------------------------------------------------------------------

    private void network(Network n) {
        if (n.classID() != null) {
            Target t = target("net_cls", R + "network.classID");
            if (t.v2()) {
                throw new JRuntimeException(R + "network.classID: net_cls is not available on cgroup v2");
            }
            CgroupFiles.write(R + "network.classID", t.dir(), "net_cls.classid", Long.toString(n.classID()));
        }
        if (n.priorities() != null && !n.priorities().isEmpty()) {
            Target t = target("net_prio", R + "network.priorities");
            if (t.v2()) {
                throw new JRuntimeException(R + "network.priorities: net_prio is not available on cgroup v2");
            }
            for (int i = 0; i < n.priorities().size(); i++) {
                var p = n.priorities().get(i);
                CgroupFiles.write(R + "network.priorities[" + i + "]", t.dir(), "net_prio.ifpriomap",
                        p.name() + " " + p.priority());
            }
        }
    }

    private void rdma(Map<String, Rdma> rdma) {
        Target t = target("rdma", R + "rdma");
        for (Map.Entry<String, Rdma> e : new TreeMap<>(rdma).entrySet()) {
            Rdma r = e.getValue();
            String v = e.getKey() + " hca_handle=" + (r.hcaHandles() == null ? "max" : r.hcaHandles())
                    + " hca_object=" + (r.hcaObjects() == null ? "max" : r.hcaObjects());
            CgroupFiles.write(R + "rdma[\"" + e.getKey() + "\"]", t.dir(), "rdma.max", v);
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
        DeviceRules.State target = DeviceRules.emulate(rules);
        Path v1 = cg.path("devices");
        if (v1 != null) {
            devicesV1(v1, target);
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

    /**
     * Brings devices.list to the target state. If both are allow-lists it only adds and removes the differences, so
     * a running container never sees a moment where everything is denied; otherwise it resets ("a" to devices.deny or
     * devices.allow) and writes the exceptions. The result is read back and compared.
     */
    static void devicesV1(Path d, DeviceRules.State target) {
        String f = R + "devices";
        DeviceRules.State cur = DeviceRules.parseList(CgroupFiles.read(d.resolve("devices.list")));
        if (DeviceRules.sameState(cur, target)) {
            return;
        }
        if (!target.defaultAllow() && !cur.defaultAllow()) {
            Map<DeviceRules.Key, Integer> have = new java.util.LinkedHashMap<>();
            cur.exceptions().forEach(e -> have.merge(e.key(), e.access(), (a, b) -> a | b));
            Map<DeviceRules.Key, Integer> want = new java.util.LinkedHashMap<>();
            target.exceptions().forEach(e -> want.merge(e.key(), e.access(), (a, b) -> a | b));
            for (var e : have.entrySet()) {
                int remove = e.getValue() & ~want.getOrDefault(e.getKey(), 0);
                if (remove != 0) {
                    var k = e.getKey();
                    CgroupFiles.write(f, d, "devices.deny",
                            new DeviceRules.Entry(k.type(), k.major(), k.minor(), remove).text());
                }
            }
            for (var e : want.entrySet()) {
                int add = e.getValue() & ~have.getOrDefault(e.getKey(), 0);
                if (add != 0) {
                    var k = e.getKey();
                    CgroupFiles.write(f, d, "devices.allow",
                            new DeviceRules.Entry(k.type(), k.major(), k.minor(), add).text());
                }
            }
            DeviceRules.State now = DeviceRules.parseList(CgroupFiles.read(d.resolve("devices.list")));
            if (DeviceRules.sameState(now, target)) {
                return;
            }
        }
        if (target.defaultAllow()) {
            CgroupFiles.write(f, d, "devices.allow", "a");
            for (DeviceRules.Entry e : target.exceptions()) {
                CgroupFiles.write(f, d, "devices.deny", e.text());
            }
        } else {
            CgroupFiles.write(f, d, "devices.deny", "a");
            for (DeviceRules.Entry e : target.exceptions()) {
                CgroupFiles.write(f, d, "devices.allow", e.text());
            }
        }
    }

    // ---- unified -----------------------------------------------------------------------------------------------------

    private void unified(Map<String, String> unified) {
        Path u = cg.path("");
        if (u == null) {
            String k = new TreeMap<>(unified).firstKey();
            throw new JRuntimeException(R + "unified[\"" + k + "\"]: cgroup v2 is not available for this container ("
                    + (cg.rootless() ? "rootless: its cgroup could not be created" : "this host has cgroup v1 only") + ")");
        }
        for (Map.Entry<String, String> e : new TreeMap<>(unified).entrySet()) {
            String key = e.getKey();
            String field = R + "unified[\"" + key + "\"]";
            Path file = u.resolve(key);
            if (!Files.exists(file) && cg.mode() == CgroupMode.HYBRID) {
                String controller = key.substring(0, key.indexOf('.'));
                if (!controller.equals("cgroup")) {
                    enableInHybrid(u, controller, field);
                }
            }
            if (!Files.exists(file)) {
                String controller = key.substring(0, key.indexOf('.'));
                String why = cg.mode() == CgroupMode.HYBRID
                        ? "the " + controller + " controller is not available in the cgroup v2 tree of this hybrid host "
                        + "(v1 controllers carry the resources; use the matching linux.resources field instead)"
                        : "the " + controller + " controller is not enabled for this cgroup, or the key is unknown";
                throw new JRuntimeException(field + ": cannot write " + e.getValue() + " to " + file
                        + ": No such file or directory (" + why + ")");
            }
            CgroupFiles.write(field, u, key, e.getValue());
        }
    }
}
