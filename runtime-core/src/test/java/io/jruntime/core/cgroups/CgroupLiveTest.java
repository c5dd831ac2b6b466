package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.Cpu;
import io.jruntime.core.cgroups.CgroupResources.DeviceRule;
import io.jruntime.core.cgroups.CgroupResources.Memory;
import io.jruntime.core.cgroups.CgroupResources.Pids;
import io.jruntime.core.sys.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests on the real cgroupfs of this machine. Need root and a writable v1 (legacy/hybrid) layout; skipped otherwise.
 * Every cgroup lives under a unique "jruntime-test-*" name and is removed (processes killed first) after each test.
 */
class CgroupLiveTest {
    private static final long MiB = 1024 * 1024;

    private CgroupHost host;
    private CgroupManager manager;
    private String base;
    private final List<Cgroup> cgroups = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Path> extraDirs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        assumeTrue(Processes.geteuid() == 0, "needs root");
        host = CgroupHost.detectFresh();
        assumeTrue(host.mode() != CgroupLayout.UNIFIED, "these tests exercise the v1 controllers");
        assumeTrue(host.v1("memory") != null && host.v1("freezer") != null && host.v1("pids") != null, "v1 controllers");
        assumeTrue(Files.isWritable(host.v1("memory").mountPoint()), "writable cgroupfs");
        manager = new CgroupManager(host);
        base = "jruntime-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        for (Cgroup cg : cgroups) {
            try {
                if (cg.isFrozen()) {
                    cg.thaw();
                }
                cg.killAll(9);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        List<RuntimeException> errors = new ArrayList<>();
        for (Cgroup cg : cgroups.reversed()) {
            try {
                cg.destroy(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        for (Path p : extraDirs.reversed()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                errors.add(new RuntimeException(e));
            }
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
    }

    private Cgroup create(String path, CgroupResources r) {
        Cgroup cg = manager.create("ctr", path, false, r, false);
        cgroups.add(cg);
        return cg;
    }

    /** Starts sh -c script; the script waits for one stdin line first so it can be moved into the cgroup. */
    private Process spawn(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "read go; " + script).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    private static void go(Process p) throws IOException {
        OutputStream o = p.getOutputStream();
        o.write("go\n".getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void createJoinAndSeeThePidEverywhere() throws Exception {
        Cgroup cg = create(base + "/ctr", CgroupResources.NONE);
        assertEquals(host.mode(), cg.mode());
        for (CgroupHost.Hierarchy h : host.all()) {
            for (String k : h.keys()) {
                assertTrue(Files.isDirectory(cg.path(k)), k + " -> " + cg.path(k));
                assertEquals(2, cg.createdLevels().get(k));
            }
        }
        if (host.mode() == CgroupLayout.HYBRID) {
            assertEquals(host.unified().mountPoint().resolve(base + "/ctr"), cg.path(""));
        }
        // relative path: under the caller's own cgroup in each hierarchy
        assertEquals(host.ownDirectory(host.v1("memory")).resolve(base + "/ctr"), cg.path("memory"));

        Process p = spawn("exec sleep 60");
        int pid = (int) p.pid();
        cg.join(pid);
        for (Map.Entry<String, Path> e : cg.paths().entrySet()) {
            assertTrue(lines(e.getValue().resolve("cgroup.procs")).contains(Integer.toString(pid)),
                    "pid in " + e.getValue() + "/cgroup.procs");
        }
        // /proc/<pid>/cgroup names the same directories, hierarchy by hierarchy
        Map<String, String> procView = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            for (String c : f[1].split(",")) {
                procView.put(c, f[2]);
            }
        }
        for (CgroupHost.Hierarchy h : host.all()) {
            String k = h.keys().getFirst();
            String expect = "/" + h.mountPoint().relativize(cg.path(k));
            assertEquals(expect, procView.get(k), "/proc/" + pid + "/cgroup for " + (k.isEmpty() ? "cgroup2" : k));
        }
        assertEquals(List.of(pid), cg.pids());

        // state map round trip
        Cgroup again = Cgroup.fromPaths(cg.toPaths());
        assertEquals(cg.paths(), again.paths());
        assertEquals(List.of(pid), again.pids());
    }

    @Test
    void memoryLimitIsWrittenAndReadBack() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE.withMemory(
                new Memory(64 * MiB, 32 * MiB, 64 * MiB, null, null, 10L, null, null, null)));
        Path m = cg.path("memory");
        assertEquals(64 * MiB, Long.parseLong(read(m.resolve("memory.limit_in_bytes"))));
        assertEquals(32 * MiB, Long.parseLong(read(m.resolve("memory.soft_limit_in_bytes"))));
        assertEquals("10", read(m.resolve("memory.swappiness")));
        if (Files.exists(m.resolve("memory.memsw.limit_in_bytes"))) {
            assertEquals(64 * MiB, Long.parseLong(read(m.resolve("memory.memsw.limit_in_bytes"))));
        }
    }

    @Test
    void exceedingTheMemoryLimitGetsOomKilled() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE.withMemory(Memory.ofLimit(8 * MiB).withSwap(8 * MiB)));
        Path m = cg.path("memory");
        assertEquals(8 * MiB, Long.parseLong(read(m.resolve("memory.limit_in_bytes"))));
        assertEquals(0, cg.oomKillCount());
        List<OomWatcher.OomEvent> events = new CopyOnWriteArrayList<>();
        try (OomWatcher w = cg.watchOom(Duration.ofMillis(20), events::add)) {
            Process p = spawn("x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done");
            cg.join((int) p.pid());
            go(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the memory hog should die");
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
            assertTrue(cg.oomKillCount() >= 1, "oom_kill counter");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(events.isEmpty(), "OOM event seen");
            assertTrue(events.getLast().oomKills() >= 1);
            assertTrue(w.isRunning());
        }
        CgroupStats st = cg.stats();
        // (failcnt is not asserted: kernel 6.x no longer counts failures on every v1 counter)
        assertTrue(st.memory().usage().max() > 7 * MiB, "peak usage reached the limit: " + st.memory().usage());
        assertEquals(8 * MiB, st.memory().usage().limit());
    }

    @Test
    void pidsLimitMakesForkFail() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE.withPids(new Pids(4L)));
        assertEquals("4", read(cg.path("pids").resolve("pids.max")));
        // the sleeps must not hold the shell's stdout: reading it to EOF would otherwise wait for them to end
        Process p = spawn("for i in 1 2 3 4 5 6 7 8; do sleep 30 >/dev/null 2>&1 & done; echo started; wait");
        cg.join((int) p.pid());
        go(p);
        // sh and three sleeps fill the limit; the fifth fork fails and dash gives up ("Cannot fork")
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the shell ends when fork fails");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("Cannot fork") || out.contains("Resource temporarily unavailable"), out);
        assertFalse(out.contains("started"), out);
        Map<String, Long> ev = CgroupFiles.readKeyValues(cg.path("pids").resolve("pids.events"));
        assertTrue(ev.getOrDefault("max", 0L) > 0, "pids.events max counts refused forks: " + ev);
        assertEquals(3, cg.pids().size(), "the three sleeps that did start");
        assertEquals(4, cg.stats().pids().limit());
        assertEquals(3, cg.stats().pids().current());
        cg.killAll(9);
        // -1 means unlimited
        cg.update(CgroupResources.NONE.withPids(new Pids(-1L)));
        assertEquals("max", read(cg.path("pids").resolve("pids.max")));
    }

    @Test
    void cpuSettingsAreVisibleInTheFiles() throws Exception {
        String cpus = read(host.v1("cpuset").mountPoint().resolve("cpuset.cpus"));
        String firstCpu = cpus.split("[-,]")[0];
        Cgroup cg = create(base + "/x", CgroupResources.NONE.withCpu(
                new Cpu(512L, 50_000L, 1000L, 100_000L, null, null, firstCpu, "0", null)));
        Path cpu = cg.path("cpu");
        assertEquals("512", read(cpu.resolve("cpu.shares")));
        assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("100000", read(cpu.resolve("cpu.cfs_period_us")));
        if (Files.exists(cpu.resolve("cpu.cfs_burst_us"))) {
            assertEquals("1000", read(cpu.resolve("cpu.cfs_burst_us")));
        }
        assertEquals(firstCpu, read(cg.path("cpuset").resolve("cpuset.cpus")));
        // the intermediate cpuset level was initialised from its parent so tasks can join
        assertEquals(cpus, read(cg.path("cpuset").getParent().resolve("cpuset.cpus")));
        Process p = spawn("exec sleep 30");
        cg.join((int) p.pid());
        // a burst above the current quota needs the quota first; a shorter period with a larger quota likewise
        cg.update(CgroupResources.NONE.withCpu(new Cpu(null, 200_000L, 100_000L, 50_000L, null, null, null, null, null)));
        assertEquals("200000", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("50000", read(cpu.resolve("cpu.cfs_period_us")));
        if (Files.exists(cpu.resolve("cpu.cfs_burst_us"))) {
            assertEquals("100000", read(cpu.resolve("cpu.cfs_burst_us")));
            // and lowering the quota below the current burst needs the burst first
            cg.update(CgroupResources.NONE.withCpu(new Cpu(null, 20_000L, 5_000L, null, null, null, null, null, null)));
            assertEquals("20000", read(cpu.resolve("cpu.cfs_quota_us")));
            assertEquals("5000", read(cpu.resolve("cpu.cfs_burst_us")));
        }
        // -1 quota = unlimited
        cg.update(CgroupResources.NONE.withCpu(new Cpu(null, -1L, 0L, null, null, null, null, null, null)));
        assertEquals("-1", read(cpu.resolve("cpu.cfs_quota_us")));
    }

    @Test
    void freezeStopsACounterAndThawResumesIt() throws Exception {
        Path counter = Files.createTempFile("jruntime-counter", ".txt");
        extraDirs.add(counter);
        extraDirs.add(Path.of(counter + ".tmp")); // the loop may write one more after the test's own delete
        Cgroup cg = create(base, CgroupResources.NONE);
        Process p = spawn("i=0; while :; do i=$((i+1)); echo $i > " + counter + ".tmp; mv " + counter + ".tmp " + counter + "; done");
        cg.join((int) p.pid());
        go(p);
        Thread.sleep(200);
        assertFalse(cg.isFrozen());
        cg.freeze();
        assertTrue(cg.isFrozen());
        assertEquals("FROZEN", read(cg.path("freezer").resolve("freezer.state")));
        long a = Long.parseLong(read(counter));
        Thread.sleep(300);
        long b = Long.parseLong(read(counter));
        assertEquals(a, b, "no progress while frozen");
        cg.thaw();
        assertFalse(cg.isFrozen());
        Thread.sleep(300);
        long c = Long.parseLong(read(counter));
        assertTrue(c > b, "progress after thaw: " + b + " -> " + c);
        Files.deleteIfExists(Path.of(counter + ".tmp"));
    }

    @Test
    void cgroupV2FreezerOnTheUnifiedTree() throws Exception {
        assumeTrue(host.mode() == CgroupLayout.HYBRID, "hybrid host");
        Path dir = host.unified().mountPoint().resolve(base);
        Files.createDirectory(dir);
        Cgroup cg = Cgroup.fromPaths(Map.of("", dir.toString()));
        cgroups.add(cg);
        assertEquals(CgroupLayout.UNIFIED, cg.mode());
        assumeTrue(Files.exists(dir.resolve("cgroup.freeze")), "kernel has the v2 freezer");
        Process p = spawn("exec sleep 30");
        cg.join((int) p.pid());
        cg.freeze();
        assertTrue(cg.isFrozen());
        assertEquals("1", read(dir.resolve("cgroup.freeze")));
        assertTrue(read(Path.of("/proc/" + p.pid() + "/stat")).contains(") S ")
                || read(Path.of("/proc/" + p.pid() + "/stat")).contains(") D "));
        cg.thaw();
        assertFalse(cg.isFrozen());
        assertEquals(List.of((int) p.pid()), cg.pids());
        cg.killAll(9);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void cgroupV2DeviceFilterViaEbpf() throws Exception {
        assumeTrue(host.mode() == CgroupLayout.HYBRID, "hybrid host (its cgroup2 tree takes device programs too)");
        Path dir = host.unified().mountPoint().resolve(base);
        Files.createDirectory(dir);
        Cgroup cg = Cgroup.fromPaths(Map.of("", dir.toString()));
        cgroups.add(cg);
        List<DeviceRule> rules = new ArrayList<>(List.of(DeviceRule.denyAll()));
        rules.addAll(DeviceCgroupRules.runcDefaultRules());          // null, zero, full, ... allowed
        rules.add(DeviceRule.deny("c", 1L, 7L, "r"));         // but /dev/full not readable
        cg.apply(CgroupResources.NONE.withDevices(rules));
        assertEquals(1, BpfDeviceFilterLoader.attachedProgramIds(dir).length);
        // a second apply replaces the program instead of stacking another
        cg.update(CgroupResources.NONE.withDevices(rules));
        assertEquals(1, BpfDeviceFilterLoader.attachedProgramIds(dir).length);
        Process p = spawn("echo hi > /dev/null && head -c 1 /dev/zero | wc -c && head -c 1 /dev/full; echo rc=$?");
        cg.join((int) p.pid());
        go(p);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("1\n"), "/dev/zero readable: " + out);
        assertTrue(out.contains("Operation not permitted") && out.contains("rc=1"), "/dev/full denied: " + out);
    }

    @Test
    void killAllSignalsEveryProcessIncludingChildren() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE);
        Process p = spawn("sleep 60 & sleep 60 & sh -c 'sleep 60 & wait' & wait");
        cg.join((int) p.pid());
        go(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cg.pids().size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(5, cg.pids().size(), cg.pids().toString());
        cg.killAll(15);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cg.pids().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), cg.pids());
        assertFalse(cg.isFrozen(), "thawed again");
    }

    @Test
    void updateChangesALiveLimitInBothDirections() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE.withMemory(Memory.ofLimit(64 * MiB).withSwap(64 * MiB)));
        Path m = cg.path("memory");
        boolean memsw = Files.exists(m.resolve("memory.memsw.limit_in_bytes"));
        Process p = spawn("x=a; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do x=$x$x; done; echo ready; exec sleep 60");
        cg.join((int) p.pid());
        go(p);
        assertTrue(new String(p.getInputStream().readNBytes(6), StandardCharsets.UTF_8).startsWith("ready"));
        // raise: memsw has to go first
        cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(128 * MiB).withSwap(256 * MiB)));
        assertEquals(128 * MiB, Long.parseLong(read(m.resolve("memory.limit_in_bytes"))));
        if (memsw) {
            assertEquals(256 * MiB, Long.parseLong(read(m.resolve("memory.memsw.limit_in_bytes"))));
        }
        // lower below the old limit: the limit has to go first
        cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(32 * MiB).withSwap(32 * MiB)));
        assertEquals(32 * MiB, Long.parseLong(read(m.resolve("memory.limit_in_bytes"))));
        if (memsw) {
            assertEquals(32 * MiB, Long.parseLong(read(m.resolve("memory.memsw.limit_in_bytes"))));
        }
        // unlimited
        cg.update(CgroupResources.NONE.withMemory(Memory.ofLimit(-1)));
        assertTrue(Long.parseLong(read(m.resolve("memory.limit_in_bytes"))) > 1L << 60);
        // only pids changes; memory stays
        cg.update(CgroupResources.NONE.withPids(new Pids(100L)));
        assertEquals("100", read(cg.path("pids").resolve("pids.max")));
        assertTrue(Long.parseLong(read(m.resolve("memory.limit_in_bytes"))) > 1L << 60);

        // checkBeforeUpdate refuses a limit below usage
        long usage = Long.parseLong(read(m.resolve("memory.usage_in_bytes")));
        assumeTrue(usage > 8192, "the cgroup has charged memory");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> cg.update(CgroupResources.NONE.withMemory(
                Memory.ofLimit(4096).withCheckBeforeUpdate(true))));
        assertTrue(e.getMessage().startsWith("linux.resources.memory.limit: rejecting memory limit 4096 below the current usage"),
                e.getMessage());
        // without the check the kernel refuses (cannot reclaim anonymous memory without swap) - the error names
        // field, value and file
        CgroupWriteException w = assertThrows(CgroupWriteException.class, () -> cg.update(CgroupResources.NONE.withMemory(
                Memory.ofLimit(4096))));
        assertTrue(w.getMessage().startsWith("linux.resources.memory.limit: cannot write 4096 to " + m.resolve("memory.limit_in_bytes")
                + ": Device or resource busy"), w.getMessage());
        assertEquals("linux.resources.memory.limit", w.field());
    }

    @Test
    void statsAreNonZeroForARunningProcess() throws Exception {
        Cgroup cg = create(base, CgroupResources.NONE.withPids(new Pids(50L)));
        // allocate after joining: v1 does not move charges with a task
        Process p = spawn("x=a; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do x=$x$x; done; while :; do :; done");
        cg.join((int) p.pid());
        go(p);
        Thread.sleep(400);
        CgroupStats s = cg.stats();
        assertTrue(s.cpu().usage().total() > 0, "cpu total");
        assertTrue(s.cpu().usage().percpu().stream().mapToLong(Long::longValue).sum() > 0, "per cpu");
        assertTrue(s.cpu().usage().user() + s.cpu().usage().kernel() > 0, "user+kernel");
        assertTrue(s.memory().usage().usage() > 0, "memory usage");
        assertTrue(s.memory().usage().max() > 0, "memory max usage");
        assertFalse(s.memory().raw().isEmpty(), "memory.stat");
        assertEquals(1, s.pids().current());
        assertEquals(50, s.pids().limit());
        assertFalse(s.cpuset().cpus().isEmpty());
        String json = s.toRuncEventJson("ctr");
        assertTrue(json.startsWith("{\"type\":\"stats\",\"id\":\"ctr\",\"data\":{\"cpu\":{\"usage\":{\"total\":"), json);
        assertTrue(json.contains("\"pids\":{\"current\":1,\"limit\":50}"), json);
    }

    @Test
    void destroyRemovesOnlyCreatedDirectoriesAndReportsLeftoverPids() throws Exception {
        Cgroup parent = create(base, CgroupResources.NONE);      // pre-existing parent for the next one
        Cgroup cg = create(base + "/a/b", CgroupResources.NONE);
        assertEquals(2, cg.createdLevels().get("memory"));
        Process p = spawn("exec sleep 60");
        cg.join((int) p.pid());
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> cg.destroy(Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("processes still running: " + p.pid()), e.getMessage());
        assertTrue(Files.isDirectory(cg.path("memory")));
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        // a nested cgroup the container made itself goes too
        Files.createDirectory(cg.path("memory").resolve("nested"));
        Cgroup.fromPaths(cg.toPaths()).destroy(Duration.ofSeconds(5));
        for (Map.Entry<String, Path> en : cg.paths().entrySet()) {
            assertFalse(Files.exists(en.getValue()), en.getValue() + " removed");
            assertFalse(Files.exists(en.getValue().getParent()), "created level " + en.getValue().getParent() + " removed");
            assertTrue(Files.isDirectory(parent.path(en.getKey())), "pre-existing " + parent.path(en.getKey()) + " kept");
        }
        cg.destroy(Duration.ofSeconds(1)); // idempotent
    }

    @Test
    void preExistingLeafIsJoinedButNeverRemoved() throws Exception {
        Cgroup outer = create(base, CgroupResources.NONE);
        Cgroup same = manager.create("ctr", base, false, CgroupResources.NONE, false);
        assertEquals(0, same.createdLevels().get("memory"));
        same.destroy(Duration.ofSeconds(1));
        assertTrue(Files.isDirectory(outer.path("memory")));
    }

    @Test
    void deviceRulesProduceTheExpectedDevicesList() throws Exception {
        List<DeviceRule> rules = List.of(
                DeviceRule.denyAll(),
                DeviceRule.allow("c", 1L, 3L, "rwm"),
                DeviceRule.allow("c", 1L, 5L, "rwm"),
                DeviceRule.allow("c", 136L, null, "rwm"),
                DeviceRule.allow("b", null, null, "m"),
                DeviceRule.deny("c", 1L, 5L, "w"));
        Cgroup cg = create(base, CgroupResources.NONE.withDevices(rules));
        Path d = cg.path("devices");
        assertEquals(List.of("c 1:3 rwm", "c 1:5 rm", "c 136:* rwm", "b *:* m"), lines(d.resolve("devices.list")));
        assertEquals(DeviceCgroupRules.emulate(rules).listText(), lines(d.resolve("devices.list")));
        Process p = spawn("echo hi > /dev/null && head -c 1 /dev/zero | wc -c && head -c 1 /dev/full; echo rc=$?");
        cg.join((int) p.pid());
        go(p);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("1\n"), "/dev/zero readable: " + out);
        assertTrue(out.contains("Operation not permitted") && out.contains("rc=1"), "/dev/full denied: " + out);

        // a live update only adds/removes the differences
        List<DeviceRule> next = new ArrayList<>(rules);
        next.add(DeviceRule.allow("c", 1L, 7L, "r"));
        next.add(DeviceRule.deny("c", 136L, null, "m"));
        cg.update(CgroupResources.NONE.withDevices(next));
        assertEquals(Set.copyOf(DeviceCgroupRules.emulate(next).listText()), Set.copyOf(lines(d.resolve("devices.list"))));
        // and allow-all works too
        cg.update(CgroupResources.NONE.withDevices(List.of(DeviceRule.allow(null, null, null, "rwm"))));
        assertEquals(List.of("a *:* rwm"), lines(d.resolve("devices.list")));
    }

    @Test
    void errorsNameFieldValueAndFile() {
        // swappiness out of range: refused before anything is created
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> create(base, CgroupResources.NONE.withMemory(
                new Memory(null, null, null, null, null, 200L, null, null, null))));
        assertTrue(e.getMessage().contains("linux.resources.memory.swappiness"), e.getMessage());
        assertFalse(Files.exists(host.ownDirectory(host.v1("memory")).resolve(base)), "nothing left behind");
        // a v2-only key on this host names the key
        if (host.mode() == CgroupLayout.HYBRID) {
            e = assertThrows(JRuntimeException.class, () -> create(base, CgroupResources.NONE.withUnified(Map.of("memory.high", "1M"))));
            // refused up front with runc's words, naming the key
            assertTrue(e.getMessage().startsWith("invalid configuration: cannot use unified on cgroup v1")
                    && e.getMessage().contains("linux.resources.unified[\"memory.high\"]"), e.getMessage());
            assertFalse(Files.exists(host.unified().mountPoint().resolve(base)), "cleaned up after the failure");
        }
        // a huge page size that does not exist
        if (host.v1("hugetlb") != null) {
            e = assertThrows(JRuntimeException.class, () -> create(base, CgroupResources.NONE.withHugepageLimits(
                    List.of(new CgroupResources.HugepageLimit("3MB", 0)))));
            assertTrue(e.getMessage().startsWith("linux.resources.hugepageLimits[0].pageSize: "), e.getMessage());
        }
        // shares the kernel clamps
        e = assertThrows(JRuntimeException.class, () -> create(base, CgroupResources.NONE.withCpu(
                Cpu.of(1L << 40, null, null))));
        assertTrue(e.getMessage().contains("linux.resources.cpu.shares"), e.getMessage());
    }

    @Test
    void hugetlbLimitsViaV1OrTheUnifiedTree() throws Exception {
        boolean v1 = host.v1("hugetlb") != null;
        boolean v2 = host.mode() == CgroupLayout.HYBRID && host.unifiedControllers().contains("hugetlb");
        assumeTrue(v1 || v2, "no hugetlb controller available");
        boolean rootHadIt = !v1 && CgroupFiles.readControllers(host.unified().mountPoint().resolve("cgroup.subtree_control"))
                .contains("hugetlb");
        try {
            Cgroup cg = create(base + "/h", CgroupResources.NONE.withHugepageLimits(
                    List.of(new CgroupResources.HugepageLimit("2MB", 4 * MiB))));
            Path f = v1 ? cg.path("hugetlb").resolve("hugetlb.2MB.limit_in_bytes") : cg.path("").resolve("hugetlb.2MB.max");
            assertEquals(Long.toString(4 * MiB), read(f));
            assertTrue(cg.stats().hugetlb().containsKey("2MB"));
        } finally {
            tearDown();
            cgroups.clear();
            if (!v1 && !rootHadIt) {
                Cgroup.tryWrite(host.unified().mountPoint().resolve("cgroup.subtree_control"), "-hugetlb");
            }
        }
    }

    @Test
    void blkioThrottleAndNetworkErrors() throws Exception {
        assumeTrue(host.v1("blkio") != null, "blkio");
        // throttle needs a real block device: take the one / lives on, if any
        String dev = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                dev = f[2];
            }
        }
        assumeTrue(dev != null && !dev.startsWith("0:"), "/ is on a real block device");
        String[] mm = dev.split(":");
        var t = new CgroupResources.ThrottleDevice(Long.parseLong(mm[0]), Long.parseLong(mm[1]), 1_048_576);
        Cgroup cg = create(base, CgroupResources.NONE.withBlockIO(new CgroupResources.BlockIo(null, null, null,
                List.of(t), null, null, List.of(t))));
        assertEquals(List.of(dev + " 1048576"), lines(cg.path("blkio").resolve("blkio.throttle.read_bps_device")));
        assertEquals(List.of(dev + " 1048576"), lines(cg.path("blkio").resolve("blkio.throttle.write_iops_device")));
        assertNotNull(cg.stats().blkio());
    }

    @Test
    void networkResourcesNeedTheirControllers() {
        assumeTrue(host.v1("net_cls") == null, "net_cls is mounted here");
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> create(base, CgroupResources.NONE.withNetwork(
                new CgroupResources.Network(0x100001L, null))));
        assertTrue(e.getMessage().startsWith("linux.resources.network.classID: the net_cls controller is not available"),
                e.getMessage());
        assertNotEquals(0, e.getMessage().length());
    }
}
