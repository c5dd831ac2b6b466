package io.jruntime.core.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversionsTest {
    @ParameterizedTest(name = "shares {0} -> weight {1}")
    @CsvSource({"0,0", "2,1", "1024,39", "512,20", "262144,10000", "100,4", "10000,382"})
    void sharesToWeight(long shares, long weight) {
        assertEquals(weight, CpuV2Writer.sharesToWeight(shares));
    }

    @ParameterizedTest(name = "blkio weight {0} -> io.weight {1}")
    @CsvSource({"10,1", "1000,10000", "500,4950", "100,910"})
    void blkioToIoWeight(long w, long io) {
        assertEquals(io, IoV2Writer.blkioWeightToIoWeight(w));
    }

    @Test
    void cpuRanges() {
        assertEquals(List.of(0, 1, 2, 5, 7, 8), StatsReader.ranges("0-2,5,7-8\n"));
        assertEquals(List.of(), StatsReader.ranges(""));
    }

    @Test
    void u64Parsing() {
        assertEquals(-1L, CgroupFiles.parseU64("max"));
        assertEquals(-1L, CgroupFiles.parseU64("18446744073709551615"));
        assertEquals(9223372036854771712L, CgroupFiles.parseU64("9223372036854771712"));
        assertEquals(0L, CgroupFiles.parseU64("-1"));
    }

    @Test
    void statsJsonLooksLikeRunc() {
        CgroupStats s = new CgroupStats(
                new CgroupStats.Cpu(new CgroupStats.CpuUsage(1000, List.of(600L, 400L), List.of(), List.of(), 0, 200),
                        new CgroupStats.Throttling(0, 0, 0)),
                CgroupStats.CpuSet.EMPTY,
                new CgroupStats.Memory(0, new CgroupStats.MemoryEntry(-1, 4096, 8192, 0), CgroupStats.MemoryEntry.EMPTY,
                        CgroupStats.MemoryEntry.EMPTY, CgroupStats.MemoryEntry.EMPTY, Map.of("rss", 4096L)),
                new CgroupStats.Pids(1, 0),
                new CgroupStats.Blkio(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 512)), List.of(), List.of(), List.of(),
                        List.of(), List.of(), List.of(), List.of()),
                Map.of("2MB", new CgroupStats.Hugetlb(0, 0, 0)));
        String j = s.toRuncEventJson("ctr\"1");
        assertTrue(j.startsWith("{\"type\":\"stats\",\"id\":\"ctr\\\"1\",\"data\":{\"cpu\":{\"usage\":{\"total\":1000,"
                + "\"percpu\":[600,400],\"kernel\":0,\"user\":200},\"throttling\":{}},"), j);
        assertTrue(j.contains("\"memory\":{\"usage\":{\"limit\":18446744073709551615,\"usage\":4096,\"max\":8192,\"failcnt\":0},"
                + "\"swap\":{\"limit\":0,\"failcnt\":0}"), j);
        assertTrue(j.contains("\"raw\":{\"rss\":4096}"), j);
        assertTrue(j.contains("\"pids\":{\"current\":1}"), j);
        assertTrue(j.contains("\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":512}]}"), j);
        assertTrue(j.contains("\"hugetlb\":{\"2MB\":{\"failcnt\":0}}"), j);
        assertTrue(j.endsWith("\"intel_rdt\":{},\"network_interfaces\":null}}"), j);
        assertFalse(j.contains(",,"));
    }

    @Test
    void stateMapRoundTrip() {
        Map<String, java.nio.file.Path> paths = new java.util.LinkedHashMap<>();
        paths.put("cpu", java.nio.file.Path.of("/sys/fs/cgroup/cpu,cpuacct/a/b"));
        paths.put("cpuacct", java.nio.file.Path.of("/sys/fs/cgroup/cpu,cpuacct/a/b"));
        paths.put("name=systemd", java.nio.file.Path.of("/sys/fs/cgroup/systemd/a/b"));
        paths.put("", java.nio.file.Path.of("/sys/fs/cgroup/unified/a/b"));
        Cgroup cg = new Cgroup(CgroupLayout.HYBRID, paths, Map.of("cpu", 2, "cpuacct", 2, "name=systemd", 1, "", 0), false, Map.of());
        Map<String, String> state = cg.toPaths();
        assertEquals("/sys/fs/cgroup/unified/a/b", state.get(""));
        assertEquals("/sys/fs/cgroup/systemd/a/b", state.get("name=systemd"));
        Cgroup back = Cgroup.fromPaths(state);
        assertEquals(CgroupLayout.HYBRID, back.mode());
        assertEquals(paths, back.paths());
        assertEquals(2, back.createdLevels().get("cpu"));
        assertEquals(1, back.createdLevels().get("name=systemd"));
        assertEquals(0, back.createdLevels().getOrDefault("", 0));
        // a plain runc map: only leaves are ours
        Cgroup plain = Cgroup.fromPaths(Map.of("memory", "/sys/fs/cgroup/memory/x"));
        assertEquals(CgroupLayout.LEGACY, plain.mode());
        assertEquals(1, plain.createdLevels().get("memory"));
        assertEquals(CgroupLayout.UNIFIED, Cgroup.fromPaths(Map.of("", "/sys/fs/cgroup/x")).mode());
    }

    @Test
    void requiredControllersForRootless() {
        var r = CgroupResources.NONE.withMemory(CgroupResources.Memory.ofLimit(1 << 20))
                .withPids(new CgroupResources.Pids(10L));
        Map<String, String> req = CgroupManager.requiredControllers(r, CgroupLayout.HYBRID);
        assertEquals("linux.resources.memory", req.get("memory"));
        assertEquals("linux.resources.pids.limit", req.get("pids"));
        assertFalse(req.containsKey("cpu"));
        assertEquals("linux.resources.memory", CgroupManager.requiredControllers(r, CgroupLayout.UNIFIED).get(""));
        assertTrue(CgroupManager.requiredControllers(CgroupResources.NONE, CgroupLayout.UNIFIED).isEmpty());
        assertTrue(CgroupResources.NONE.isEmpty());
        assertFalse(r.isEmpty());
    }
}
