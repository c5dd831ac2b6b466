package io.jruntime.core.cgroups;

import io.jruntime.core.cgroups.CgroupStats.BlkioEntry;
import io.jruntime.core.cgroups.CgroupStats.MemoryEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@link CgroupStats} from v1 or v2 files, whichever each controller uses. */
final class StatsReader {
    /** USER_HZ: the unit of cpuacct.stat. 100 on every Linux architecture jruntime runs on. */
    static final long CLOCK_TICKS = 100;

    private final Cgroup cg;

    StatsReader(Cgroup cg) {
        this.cg = cg;
    }

    /** A v1 directory for the controller, else the cgroup2 directory if it has the controller, else null. */
    private Path v1(String controller) {
        return cg.path(controller);
    }

    private Path v2(String controller) {
        Path u = cg.path("");
        if (u == null) {
            return null;
        }
        if (controller == null) {
            return u;
        }
        return CgroupFiles.readControllers(u.resolve("cgroup.controllers")).contains(controller) ? u : null;
    }

    CgroupStats read() {
        return new CgroupStats(cpu(), cpuset(), memory(), pids(), blkio(), hugetlb());
    }

    private CgroupStats.Cpu cpu() {
        Path acct = v1("cpuacct");
        Path cpu = v1("cpu");
        CgroupStats.Throttling thr = new CgroupStats.Throttling(0, 0, 0);
        if (acct != null || cpu != null) {
            long total = 0;
            long user = 0;
            long kernel = 0;
            List<Long> percpu = List.of();
            List<Long> percpuUser = List.of();
            List<Long> percpuSys = List.of();
            if (acct != null) {
                total = CgroupFiles.readU64(acct.resolve("cpuacct.usage"));
                percpu = longs(acct.resolve("cpuacct.usage_percpu"));
                percpuUser = longs(acct.resolve("cpuacct.usage_percpu_user"));
                percpuSys = longs(acct.resolve("cpuacct.usage_percpu_sys"));
                Map<String, Long> st = CgroupFiles.readKeyValues(acct.resolve("cpuacct.stat"));
                user = st.getOrDefault("user", 0L) * 1_000_000_000L / CLOCK_TICKS;
                kernel = st.getOrDefault("system", 0L) * 1_000_000_000L / CLOCK_TICKS;
            }
            if (cpu != null) {
                Map<String, Long> st = CgroupFiles.readKeyValues(cpu.resolve("cpu.stat"));
                thr = new CgroupStats.Throttling(st.getOrDefault("nr_periods", 0L), st.getOrDefault("nr_throttled", 0L),
                        st.getOrDefault("throttled_time", 0L));
            }
            return new CgroupStats.Cpu(new CgroupStats.CpuUsage(total, percpu, percpuSys, percpuUser, kernel, user), thr);
        }
        Path u = v2(null);
        if (u == null) {
            return new CgroupStats.Cpu(new CgroupStats.CpuUsage(0, List.of(), List.of(), List.of(), 0, 0), thr);
        }
        // cpu.stat usage lines exist even without the cpu controller
        Map<String, Long> st = CgroupFiles.readKeyValues(u.resolve("cpu.stat"));
        thr = new CgroupStats.Throttling(st.getOrDefault("nr_periods", 0L), st.getOrDefault("nr_throttled", 0L),
                st.getOrDefault("throttled_usec", 0L) * 1000);
        return new CgroupStats.Cpu(new CgroupStats.CpuUsage(st.getOrDefault("usage_usec", 0L) * 1000, List.of(), List.of(),
                List.of(), st.getOrDefault("system_usec", 0L) * 1000, st.getOrDefault("user_usec", 0L) * 1000), thr);
    }

    private static List<Long> longs(Path p) {
        String s = CgroupFiles.readOptional(p);
        List<Long> l = new ArrayList<>();
        if (s == null) {
            return l;
        }
        for (String t : s.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                l.add(CgroupFiles.parseU64(t));
            }
        }
        return l;
    }

    private CgroupStats.CpuSet cpuset() {
        Path d = v1("cpuset");
        if (d != null) {
            return new CgroupStats.CpuSet(ranges(CgroupFiles.readOptional(d.resolve("cpuset.cpus"))),
                    CgroupFiles.readU64(d.resolve("cpuset.cpu_exclusive")),
                    ranges(CgroupFiles.readOptional(d.resolve("cpuset.mems"))),
                    CgroupFiles.readU64(d.resolve("cpuset.mem_hardwall")),
                    CgroupFiles.readU64(d.resolve("cpuset.mem_exclusive")),
                    CgroupFiles.readU64(d.resolve("cpuset.memory_migrate")),
                    CgroupFiles.readU64(d.resolve("cpuset.memory_spread_page")),
                    CgroupFiles.readU64(d.resolve("cpuset.memory_spread_slab")),
                    CgroupFiles.readU64(d.resolve("cpuset.memory_pressure")),
                    CgroupFiles.readU64(d.resolve("cpuset.sched_load_balance")),
                    parseSigned(CgroupFiles.readOptional(d.resolve("cpuset.sched_relax_domain_level"))));
        }
        Path u = v2("cpuset");
        if (u != null) {
            return new CgroupStats.CpuSet(ranges(CgroupFiles.readOptional(u.resolve("cpuset.cpus.effective"))), 0,
                    ranges(CgroupFiles.readOptional(u.resolve("cpuset.mems.effective"))), 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return CgroupStats.CpuSet.EMPTY;
    }

    private static long parseSigned(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "0-3,5" -> [0,1,2,3,5]. */
    static List<Integer> ranges(String s) {
        List<Integer> l = new ArrayList<>();
        if (s == null) {
            return l;
        }
        for (String part : s.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                l.add(Integer.parseInt(part));
            } else {
                int a = Integer.parseInt(part.substring(0, dash));
                int b = Integer.parseInt(part.substring(dash + 1));
                for (int i = a; i <= b; i++) {
                    l.add(i);
                }
            }
        }
        return l;
    }

    private CgroupStats.Memory memory() {
        Path d = v1("memory");
        if (d != null) {
            Map<String, Long> raw = CgroupFiles.readKeyValues(d.resolve("memory.stat"));
            return new CgroupStats.Memory(raw.getOrDefault("cache", 0L), entryV1(d, "memory"), entryV1(d, "memory.memsw"),
                    entryV1(d, "memory.kmem"), entryV1(d, "memory.kmem.tcp"), raw);
        }
        Path u = v2("memory");
        if (u == null) {
            return new CgroupStats.Memory(0, MemoryEntry.EMPTY, MemoryEntry.EMPTY, MemoryEntry.EMPTY, MemoryEntry.EMPTY, Map.of());
        }
        Map<String, Long> raw = CgroupFiles.readKeyValues(u.resolve("memory.stat"));
        Map<String, Long> events = CgroupFiles.readKeyValues(u.resolve("memory.events"));
        long usage = CgroupFiles.readU64(u.resolve("memory.current"));
        long limit = CgroupFiles.readU64(u.resolve("memory.max"));
        long peak = CgroupFiles.readU64(u.resolve("memory.peak"));
        MemoryEntry mem = new MemoryEntry(limit, usage, peak, events.getOrDefault("max", 0L));
        MemoryEntry swap = MemoryEntry.EMPTY;
        if (Files.exists(u.resolve("memory.swap.current"))) {
            long sUsage = CgroupFiles.readU64(u.resolve("memory.swap.current"));
            long sLimit = CgroupFiles.readU64(u.resolve("memory.swap.max"));
            long both = (sLimit == -1 || limit == -1) ? -1 : sLimit + limit;
            swap = new MemoryEntry(both, sUsage + usage, CgroupFiles.readU64(u.resolve("memory.swap.peak")),
                    CgroupFiles.readKeyValues(u.resolve("memory.swap.events")).getOrDefault("max", 0L));
        }
        MemoryEntry kernel = new MemoryEntry(0, raw.getOrDefault("kernel", raw.getOrDefault("kernel_stack", 0L)), 0, 0);
        return new CgroupStats.Memory(raw.getOrDefault("file", 0L), mem, swap, kernel, MemoryEntry.EMPTY, raw);
    }

    private static MemoryEntry entryV1(Path d, String prefix) {
        if (!Files.exists(d.resolve(prefix + ".usage_in_bytes"))) {
            return MemoryEntry.EMPTY;
        }
        return new MemoryEntry(CgroupFiles.readU64(d.resolve(prefix + ".limit_in_bytes")),
                CgroupFiles.readU64(d.resolve(prefix + ".usage_in_bytes")),
                CgroupFiles.readU64(d.resolve(prefix + ".max_usage_in_bytes")),
                CgroupFiles.readU64(d.resolve(prefix + ".failcnt")));
    }

    private CgroupStats.Pids pids() {
        Path d = v1("pids");
        if (d == null) {
            d = v2("pids");
        }
        if (d == null) {
            return new CgroupStats.Pids(0, 0);
        }
        long max = CgroupFiles.readU64(d.resolve("pids.max"));
        return new CgroupStats.Pids(CgroupFiles.readU64(d.resolve("pids.current")), max == -1 ? 0 : max);
    }

    private CgroupStats.Blkio blkio() {
        Path d = v1("blkio");
        if (d != null) {
            for (String prefix : new String[]{"blkio.", "blkio.bfq."}) {
                if (Files.exists(d.resolve(prefix + "io_service_bytes_recursive"))) {
                    return new CgroupStats.Blkio(
                            blkioV1(d.resolve(prefix + "io_service_bytes_recursive")),
                            blkioV1(d.resolve(prefix + "io_serviced_recursive")),
                            blkioV1(d.resolve(prefix + "io_queued_recursive")),
                            blkioV1(d.resolve(prefix + "io_service_time_recursive")),
                            blkioV1(d.resolve(prefix + "io_wait_time_recursive")),
                            blkioV1(d.resolve(prefix + "io_merged_recursive")),
                            blkioV1(d.resolve(prefix + "time_recursive")),
                            blkioV1(d.resolve(prefix + "sectors_recursive")));
                }
            }
            return new CgroupStats.Blkio(blkioV1(d.resolve("blkio.throttle.io_service_bytes_recursive")),
                    blkioV1(d.resolve("blkio.throttle.io_serviced_recursive")),
                    List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
        Path u = v2("io");
        if (u == null) {
            return CgroupStats.Blkio.EMPTY;
        }
        List<BlkioEntry> bytes = new ArrayList<>();
        List<BlkioEntry> ios = new ArrayList<>();
        String s = CgroupFiles.readOptional(u.resolve("io.stat"));
        if (s != null) {
            for (String line : s.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || !f[0].contains(":")) {
                    continue;
                }
                String[] mm = f[0].split(":");
                long major = Long.parseLong(mm[0]);
                long minor = Long.parseLong(mm[1]);
                for (int i = 1; i < f.length; i++) {
                    int eq = f[i].indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String k = f[i].substring(0, eq);
                    long v = CgroupFiles.parseU64(f[i].substring(eq + 1));
                    switch (k) {
                        case "rbytes" -> bytes.add(new BlkioEntry(major, minor, "Read", v));
                        case "wbytes" -> bytes.add(new BlkioEntry(major, minor, "Write", v));
                        case "dbytes" -> bytes.add(new BlkioEntry(major, minor, "Discard", v));
                        case "rios" -> ios.add(new BlkioEntry(major, minor, "Read", v));
                        case "wios" -> ios.add(new BlkioEntry(major, minor, "Write", v));
                        case "dios" -> ios.add(new BlkioEntry(major, minor, "Discard", v));
                        default -> {
                        }
                    }
                }
            }
        }
        return new CgroupStats.Blkio(bytes, ios, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** "8:0 Read 1234" lines; "Total" lines are skipped. */
    static List<BlkioEntry> blkioV1(Path p) {
        List<BlkioEntry> l = new ArrayList<>();
        String s = CgroupFiles.readOptional(p);
        if (s == null) {
            return l;
        }
        for (String line : s.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] mm = f[0].split(":");
            try {
                long major = Long.parseLong(mm[0]);
                long minor = Long.parseLong(mm[1]);
                if (f.length == 3) {
                    l.add(new BlkioEntry(major, minor, f[1], CgroupFiles.parseU64(f[2])));
                } else {
                    l.add(new BlkioEntry(major, minor, "", CgroupFiles.parseU64(f[1])));
                }
            } catch (NumberFormatException e) {
                // not a device line
            }
        }
        return l;
    }

    private Map<String, CgroupStats.Hugetlb> hugetlb() {
        Map<String, CgroupStats.Hugetlb> m = new LinkedHashMap<>();
        Path d = v1("hugetlb");
        if (d != null) {
            for (String size : HugetlbWriter.hugePageSizes(d, ".limit_in_bytes")) {
                String p = "hugetlb." + size + ".";
                m.put(size, new CgroupStats.Hugetlb(CgroupFiles.readU64(d.resolve(p + "usage_in_bytes")),
                        CgroupFiles.readU64(d.resolve(p + "max_usage_in_bytes")),
                        CgroupFiles.readU64(d.resolve(p + "failcnt"))));
            }
            return m;
        }
        Path u = v2("hugetlb");
        if (u != null) {
            for (String size : HugetlbWriter.hugePageSizes(u, ".max")) {
                String p = "hugetlb." + size + ".";
                m.put(size, new CgroupStats.Hugetlb(CgroupFiles.readU64(u.resolve(p + "current")), 0,
                        CgroupFiles.readKeyValues(u.resolve(p + "events")).getOrDefault("max", 0L)));
            }
        }
        return m;
    }
}
