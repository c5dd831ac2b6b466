package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;
import io.jruntime.core.cgroups.CgroupResources.BlockIo;
import io.jruntime.core.cgroups.CgroupResources.Cpu;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;
import io.jruntime.core.cgroups.CgroupResources.Memory;
import io.jruntime.core.cgroups.CgroupResources.ThrottleDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cgroup v2 file mapping, checked against a directory laid out like a cgroup2 cgroup (this host's cgroup2 tree
 * has no controllers, so the real files cannot be used here).
 */
class CgroupV2MappingTest {
    @TempDir
    Path dir;
    Cgroup cg;

    @BeforeEach
    void layout() throws IOException {
        Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        for (String f : List.of("memory.max", "memory.swap.max", "memory.low", "memory.current", "cpu.weight", "cpu.max.burst",
                "cpu.idle", "pids.max", "io.weight", "io.max", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max", "hugetlb.1GB.max",
                "cpuset.cpus", "cpuset.mems", "rdma.max", "memory.high", "cgroup.freeze", "cgroup.events")) {
            Files.writeString(dir.resolve(f), "");
        }
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        Files.writeString(dir.resolve("memory.current"), "1048576\n");
        cg = Cgroup.fromPaths(Map.of("", dir.toString()));
    }

    private String read(String f) throws IOException {
        return Files.readString(dir.resolve(f)).trim();
    }

    @Test
    void memory() throws IOException {
        cg.apply(CgroupResources.NONE.withMemory(new Memory(64L << 20, 32L << 20, 96L << 20, 1L << 20, null, 60L, true, null, null)));
        assertEquals(Long.toString(64L << 20), read("memory.max"));
        assertEquals(Long.toString(32L << 20), read("memory.swap.max"), "swap.max = swap - limit");
        assertEquals(Long.toString(32L << 20), read("memory.low"));
        // swap alone takes the current memory.max
        cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(0).withSwap(128L << 20)));
        assertEquals(Long.toString(64L << 20), read("memory.swap.max"));
        cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(-1)));
        assertEquals("max", read("memory.max"));
        assertEquals("max", read("memory.swap.max"), "unlimited memory means unlimited swap");
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(0).withSwap(1L << 20))));
        assertTrue(e.getMessage().startsWith("linux.resources.memory.swap: unable to set a swap limit without a memory limit"));
        e = assertThrows(JRuntimeException.class, () -> cg.update(CgroupResources.NONE.withMemory(
                Memory.ofLimit(4096).withCheckBeforeUpdate(true))));
        assertTrue(e.getMessage().contains("below the current usage 1048576"), e.getMessage());
    }

    @Test
    void cpu() throws IOException {
        cg.apply(CgroupResources.NONE.withCpu(new Cpu(1024L, 50_000L, 10_000L, 200_000L, null, null, "0-1", "0", 0L)));
        assertEquals("39", read("cpu.weight"));
        assertEquals("50000 200000", read("cpu.max"));
        assertEquals("10000", read("cpu.max.burst"));
        assertEquals("0-1", read("cpuset.cpus"));
        assertEquals("0", read("cpuset.mems"));
        assertEquals("0", read("cpu.idle"));
        // period alone keeps the quota
        cg.update(CgroupResources.NONE.withCpu(Cpu.of(null, null, 100_000L)));
        assertEquals("50000 100000", read("cpu.max"));
        cg.update(CgroupResources.NONE.withCpu(Cpu.of(null, -1L, null)));
        assertEquals("max 100000", read("cpu.max"));
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> cg.update(CgroupResources.NONE.withCpu(
                new Cpu(null, null, null, null, 950_000L, 1_000_000L, null, null, null))));
        assertTrue(e.getMessage().startsWith("linux.resources.cpu.realtimeRuntime: real-time scheduling limits are not supported"));
    }

    @Test
    void pidsIoHugetlbRdmaUnified() throws IOException {
        cg.apply(CgroupResources.NONE
                .withPids(new CgroupResources.Pids(0L))
                .withBlockIO(new BlockIo(500, null, null, null, List.of(new ThrottleDevice(8, 0, 1 << 20)), null, null))
                .withHugepageLimits(List.of(new CgroupResources.HugepageLimit("2MB", 4L << 20)))
                .withRdma(Map.of("mlx5_0", new CgroupResources.Rdma(10L, null)))
                .withUnified(Map.of("memory.high", "50M")));
        assertEquals("max", read("pids.max"));
        assertEquals("default 4950", read("io.weight"));
        assertEquals("8:0 wbps=1048576", read("io.max"));
        assertEquals(Long.toString(4L << 20), read("hugetlb.2MB.max"));
        assertEquals(Long.toString(4L << 20), read("hugetlb.2MB.rsvd.max"));
        assertEquals("mlx5_0 hca_handle=10 hca_object=max", read("rdma.max"));
        assertEquals("50M", read("memory.high"));
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> cg.apply(CgroupResources.NONE.withHugepageLimits(
                List.of(new CgroupResources.HugepageLimit("64KB", 1)))));
        assertTrue(e.getMessage().contains("available: 1GB, 2MB"), e.getMessage());
        e = assertThrows(JRuntimeException.class, () -> cg.apply(CgroupResources.NONE.withUnified(Map.of("memory.nope", "1"))));
        assertTrue(e.getMessage().startsWith("linux.resources.unified[\"memory.nope\"]: cannot write 1 to "), e.getMessage());
        e = assertThrows(JRuntimeException.class, () -> cg.apply(CgroupResources.NONE.withNetwork(
                new CgroupResources.Network(1L, null))));
        assertTrue(e.getMessage().startsWith("linux.resources.network.classID: the net_cls controller is not enabled"), e.getMessage());
    }

    @Test
    void devicesGoToTheLoader() {
        AtomicReference<DeviceFilter> got = new AtomicReference<>();
        cg.withDeviceFilterLoader((d, f) -> {
            assertEquals(dir, d);
            got.set(f);
        });
        cg.apply(CgroupResources.NONE.withDevices(List.of(DeviceRule.denyAll(), DeviceRule.allow("c", 1L, 3L, "rwm"))));
        assertNotNull(got.get());
        assertEquals(6 + 5 + 2, got.get().instructions().size());
        cg.withDeviceFilterLoader(DeviceFilterLoader.unsupported());
        assertThrows(NotImplementedException.class, () -> cg.apply(CgroupResources.NONE.withDevices(List.of(DeviceRule.denyAll()))));
    }
}
