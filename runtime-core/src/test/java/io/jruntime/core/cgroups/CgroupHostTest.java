package io.jruntime.core.cgroups;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CgroupHostTest {
    static final String HYBRID_MOUNTINFO = """
            22 1 0:21 / /proc rw,nosuid - proc proc rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd,release_agent=/x
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
            """;
    static final String PROC_CGROUPS = """
            #subsys_name	hierarchy	num_cgroups	enabled
            cpuset	3	1	1
            cpu	1	1	1
            cpuacct	1	1	1
            memory	4	15	1
            devices	5	1	1
            freezer	6	1	1
            pids	8	1	1
            """;
    static final String SELF = """
            9:name=systemd:/user.slice
            8:pids:/
            5:devices:/
            4:memory:/process_api/abc
            3:cpuset:/
            1:cpu,cpuacct:/a/b
            0::/init.scope
            """;

    @Test
    void hybridLayout() {
        CgroupHost h = CgroupHost.parse(HYBRID_MOUNTINFO, SELF, PROC_CGROUPS);
        assertEquals(CgroupLayout.HYBRID, h.mode());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.unified().mountPoint());
        assertEquals(Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "pids"), h.v1Controllers());
        CgroupHost.Hierarchy cpu = h.v1("cpu");
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), cpu.mountPoint());
        assertEquals(cpu, h.v1("cpuacct"));
        assertEquals(List.of("cpu", "cpuacct"), cpu.keys());
        // clone_children, xattr, release_agent are options, not controllers
        assertEquals(Set.of("cpuset"), h.v1("cpuset").controllers());
        assertEquals(Set.of("name=systemd"), h.v1("name=systemd").controllers());
        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/abc"), h.ownDirectory(h.v1("memory")));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/a/b"), h.ownDirectory(cpu));
        assertEquals(Path.of("/sys/fs/cgroup/unified/init.scope"), h.ownDirectory(h.unified()));
        assertEquals(8, h.all().size());
    }

    @Test
    void legacyLayout() {
        String mi = HYBRID_MOUNTINFO.lines().filter(l -> !l.contains("cgroup2")).reduce("", (a, b) -> a + b + "\n");
        CgroupHost h = CgroupHost.parse(mi, SELF, PROC_CGROUPS);
        assertEquals(CgroupLayout.LEGACY, h.mode());
        assertNull(h.unified());
        assertEquals(7, h.all().size());
    }

    @Test
    void unifiedLayout() {
        String mi = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
        CgroupHost h = CgroupHost.parse(mi, "0::/user.slice/user-1000.slice/session-2.scope\n", null);
        assertEquals(CgroupLayout.UNIFIED, h.mode());
        assertTrue(h.hierarchies().isEmpty());
        assertEquals(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"), h.ownDirectory(h.unified()));
    }

    @Test
    void nestedContainerMountRootIsStripped() {
        // inside a container without a cgroup namespace: the mount's root is the container's cgroup
        String mi = "100 90 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n"
                + "101 90 0:38 /docker/abc /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
        CgroupHost h = CgroupHost.parse(mi, "4:memory:/docker/abc/sub\n0::/docker/abc\n", null);
        assertEquals(Path.of("/sys/fs/cgroup/memory/sub"), h.ownDirectory(h.v1("memory")));
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.ownDirectory(h.unified()));
        // a path outside the mount root (cgroup namespace quirks) falls back to the mount point
        CgroupHost h2 = CgroupHost.parse(mi, "4:memory:/other\n", null);
        assertEquals(Path.of("/sys/fs/cgroup/memory"), h2.ownDirectory(h2.v1("memory")));
    }

    @Test
    void escapedMountPointsAndOverMounts() {
        String mi = "32 31 0:29 / /sys/fs/cgroup/my\\040dir rw - cgroup cgroup rw,pids\n"
                + "33 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                + "34 31 0:31 / /sys/fs/cgroup/memory rw - tmpfs tmpfs rw\n";
        CgroupHost h = CgroupHost.parse(mi, "", null);
        assertEquals(Path.of("/sys/fs/cgroup/my dir"), h.v1("pids").mountPoint());
        assertNull(h.v1("memory"), "a tmpfs mounted over the memory hierarchy hides it");
    }

    @Test
    void noCgroupsAtAll() {
        assertThrows(io.jruntime.core.JRuntimeException.class,
                () -> CgroupHost.parse("22 1 0:21 / /proc rw - proc proc rw\n", "", null));
    }

    /** On this machine: v1 controllers plus cgroup2 at /sys/fs/cgroup/unified. */
    @Test
    void detectsThisHost() throws Exception {
        String mi = Files.readString(Path.of("/proc/self/mountinfo"));
        assumeTrue(mi.contains(" /sys/fs/cgroup/unified ") && mi.contains(" - cgroup cgroup "),
                "not a hybrid host");
        CgroupHost h = CgroupHost.detectFresh();
        assertEquals(CgroupLayout.HYBRID, h.mode());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.unified().mountPoint());
        // every controller option of every v1 cgroup mount in our mount namespace is detected, at its mount point
        // (/proc/cgroups is no guide: another mount namespace may have mounted a hierarchy we cannot see)
        for (String line : mi.split("\n")) {
            int sep = line.indexOf(" - cgroup cgroup ");
            if (sep < 0) {
                continue;
            }
            String mp = line.split(" ")[4];
            for (String opt : line.substring(sep + " - cgroup cgroup ".length()).split(",")) {
                if (CgroupHost.KNOWN_V1.contains(opt) || opt.startsWith("name=")) {
                    assertNotNull(h.v1(opt), opt + " should be detected: " + h);
                    assertEquals(Path.of(mp), h.v1(opt).mountPoint());
                }
            }
        }
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids")) {
            if (mi.contains("cgroup rw," + c + "\n") || mi.contains("," + c + ",") || mi.contains("," + c + "\n")) {
                assertNotNull(h.v1(c), c);
            }
        }
        if (mi.contains("name=systemd")) {
            assertNotNull(h.v1("name=systemd"));
        }
        assertTrue(h.ownCgroups().containsKey(""), "own cgroup2 path from /proc/self/cgroup");
        assertTrue(h.ownCgroups().containsKey("memory"));
    }
}
