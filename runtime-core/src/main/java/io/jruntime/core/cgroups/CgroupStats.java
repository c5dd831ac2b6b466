package io.jruntime.core.cgroups;

import io.jruntime.spec.JsonString;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a container cgroup's usage, shaped like runc's {@code events --stats} data (runc types/events.go) so
 * {@link #toRuncJson()} prints the same object. All counters are unsigned 64-bit values held in {@code long}
 * ({@code -1} stands for 2^64-1, i.e. "max"/unlimited on cgroup v2). Times are nanoseconds.
 */
public record CgroupStats(Cpu cpu, CpuSet cpuset, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {

    public CgroupStats {
        hugetlb = Map.copyOf(hugetlb);
    }

    public record Cpu(CpuUsage usage, Throttling throttling) {
    }

    /** total/per-cpu/kernel/user time in nanoseconds. */
    public record CpuUsage(long total, List<Long> percpu, List<Long> percpuKernel, List<Long> percpuUser, long kernel,
                           long user) {
        public CpuUsage {
            percpu = List.copyOf(percpu);
            percpuKernel = List.copyOf(percpuKernel);
            percpuUser = List.copyOf(percpuUser);
        }
    }

    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
    }

    public record CpuSet(List<Integer> cpus, long cpuExclusive, List<Integer> mems, long memHardwall, long memExclusive,
                         long memoryMigrate, long memorySpreadPage, long memorySpreadSlab, long memoryPressure,
                         long schedLoadBalance, long schedRelaxDomainLevel) {
        public CpuSet {
            cpus = List.copyOf(cpus);
            mems = List.copyOf(mems);
        }

        static final CpuSet EMPTY = new CpuSet(List.of(), 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** One memory counter group: limit, usage, max usage, failcnt. */
    public record MemoryEntry(long limit, long usage, long max, long failcnt) {
        static final MemoryEntry EMPTY = new MemoryEntry(0, 0, 0, 0);
    }

    /**
     * @param cache     page cache bytes (memory.stat "cache" on v1, "file" on v2)
     * @param usage     memory
     * @param swap      memory+swap on v1 (memsw); on v2 swap plus memory, to read the same
     * @param kernel    kernel memory (v1 kmem)
     * @param kernelTcp kernel TCP buffers (v1 kmem.tcp)
     * @param raw       memory.stat
     */
    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel, MemoryEntry kernelTcp,
                         Map<String, Long> raw) {
        public Memory {
            raw = Map.copyOf(raw);
        }
    }

    public record Pids(long current, long limit) {
    }

    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive,
                        List<BlkioEntry> ioQueuedRecursive, List<BlkioEntry> ioServiceTimeRecursive,
                        List<BlkioEntry> ioWaitTimeRecursive, List<BlkioEntry> ioMergedRecursive,
                        List<BlkioEntry> ioTimeRecursive, List<BlkioEntry> sectorsRecursive) {
        public Blkio {
            ioServiceBytesRecursive = List.copyOf(ioServiceBytesRecursive);
            ioServicedRecursive = List.copyOf(ioServicedRecursive);
            ioQueuedRecursive = List.copyOf(ioQueuedRecursive);
            ioServiceTimeRecursive = List.copyOf(ioServiceTimeRecursive);
            ioWaitTimeRecursive = List.copyOf(ioWaitTimeRecursive);
            ioMergedRecursive = List.copyOf(ioMergedRecursive);
            ioTimeRecursive = List.copyOf(ioTimeRecursive);
            sectorsRecursive = List.copyOf(sectorsRecursive);
        }

        static final Blkio EMPTY = new Blkio(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public record Hugetlb(long usage, long max, long failcnt) {
    }

    /** The "data" object of runc's stats event, with runc's field names and omitempty rules. */
    public String toRuncJson() {
        Json j = new Json();
        j.open();
        j.key("cpu").open();
        j.key("usage").open();
        j.u64e("total", cpu.usage().total());
        j.listE("percpu", cpu.usage().percpu());
        j.listE("percpu_kernel", cpu.usage().percpuKernel());
        j.listE("percpu_user", cpu.usage().percpuUser());
        j.u64("kernel", cpu.usage().kernel());
        j.u64("user", cpu.usage().user());
        j.close();
        j.key("throttling").open();
        j.u64e("periods", cpu.throttling().periods());
        j.u64e("throttledPeriods", cpu.throttling().throttledPeriods());
        j.u64e("throttledTime", cpu.throttling().throttledTime());
        j.close();
        j.close();
        j.key("cpuset").open();
        j.intListE("cpus", cpuset.cpus());
        j.u64("cpu_exclusive", cpuset.cpuExclusive());
        j.intListE("mems", cpuset.mems());
        j.u64("mem_hardwall", cpuset.memHardwall());
        j.u64("mem_exclusive", cpuset.memExclusive());
        j.u64("memory_migrate", cpuset.memoryMigrate());
        j.u64("memory_spread_page", cpuset.memorySpreadPage());
        j.u64("memory_spread_slab", cpuset.memorySpreadSlab());
        j.u64("memory_pressure", cpuset.memoryPressure());
        j.u64("sched_load_balance", cpuset.schedLoadBalance());
        j.key("sched_relax_domain_level").raw(Long.toString(cpuset.schedRelaxDomainLevel()));
        j.close();
        j.key("memory").open();
        j.u64e("cache", memory.cache());
        memoryEntry(j, "usage", memory.usage());
        memoryEntry(j, "swap", memory.swap());
        memoryEntry(j, "kernel", memory.kernel());
        memoryEntry(j, "kernelTCP", memory.kernelTcp());
        if (!memory.raw().isEmpty()) {
            j.key("raw").open();
            memory.raw().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> j.u64(e.getKey(), e.getValue()));
            j.close();
        }
        j.close();
        j.key("pids").open();
        j.u64e("current", pids.current());
        j.u64e("limit", pids.limit());
        j.close();
        j.key("blkio").open();
        blkio(j, "ioServiceBytesRecursive", blkio.ioServiceBytesRecursive());
        blkio(j, "ioServicedRecursive", blkio.ioServicedRecursive());
        blkio(j, "ioQueueRecursive", blkio.ioQueuedRecursive());
        blkio(j, "ioServiceTimeRecursive", blkio.ioServiceTimeRecursive());
        blkio(j, "ioWaitTimeRecursive", blkio.ioWaitTimeRecursive());
        blkio(j, "ioMergedRecursive", blkio.ioMergedRecursive());
        blkio(j, "ioTimeRecursive", blkio.ioTimeRecursive());
        blkio(j, "sectorsRecursive", blkio.sectorsRecursive());
        j.close();
        j.key("hugetlb").open();
        hugetlb.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            j.key(e.getKey()).open();
            j.u64e("usage", e.getValue().usage());
            j.u64e("max", e.getValue().max());
            j.u64("failcnt", e.getValue().failcnt());
            j.close();
        });
        j.close();
        j.key("intel_rdt").open().close();
        j.key("network_interfaces").raw("null");
        j.close();
        return j.toString();
    }

    /** A whole runc stats event line: {"type":"stats","id":"...","data":{...}}. */
    public String toRuncEventJson(String containerId) {
        return "{\"type\":\"stats\",\"id\":" + JsonString.quote(containerId) + ",\"data\":" + toRuncJson() + "}";
    }

    private static void memoryEntry(Json j, String name, MemoryEntry e) {
        j.key(name).open();
        j.u64("limit", e.limit());
        j.u64e("usage", e.usage());
        j.u64e("max", e.max());
        j.u64("failcnt", e.failcnt());
        j.close();
    }

    private static void blkio(Json j, String name, List<BlkioEntry> l) {
        if (l.isEmpty()) {
            return;
        }
        j.key(name).array();
        for (BlkioEntry e : l) {
            j.open();
            j.u64e("major", e.major());
            j.u64e("minor", e.minor());
            if (e.op() != null && !e.op().isEmpty()) {
                j.key("op").raw(JsonString.quote(e.op()));
            }
            j.u64e("value", e.value());
            j.close();
        }
        j.endArray();
    }

    /** Minimal JSON writer: enough for this object, with Go's omitempty behaviour where asked. */
    static final class Json {
        private final StringBuilder b = new StringBuilder();
        private boolean needComma;

        Json open() {
            sep();
            b.append('{');
            needComma = false;
            return this;
        }

        Json close() {
            b.append('}');
            needComma = true;
            return this;
        }

        Json array() {
            sep();
            b.append('[');
            needComma = false;
            return this;
        }

        Json endArray() {
            b.append(']');
            needComma = true;
            return this;
        }

        Json key(String k) {
            sep();
            b.append(JsonString.quote(k)).append(':');
            needComma = false;
            return this;
        }

        Json raw(String v) {
            sep();
            b.append(v);
            needComma = true;
            return this;
        }

        private void sep() {
            if (needComma) {
                b.append(',');
                needComma = false;
            }
        }

        void u64(String k, long v) {
            key(k).raw(Long.toUnsignedString(v));
        }

        /** omitempty: zero is left out. */
        void u64e(String k, long v) {
            if (v != 0) {
                u64(k, v);
            }
        }

        void listE(String k, List<Long> l) {
            if (l.isEmpty()) {
                return;
            }
            key(k).array();
            for (Long v : l) {
                raw(Long.toUnsignedString(v));
            }
            endArray();
        }

        void intListE(String k, List<Integer> l) {
            if (l.isEmpty()) {
                return;
            }
            key(k).array();
            for (Integer v : l) {
                raw(Integer.toString(v));
            }
            endArray();
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
