package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupPathTest {
    static final CgroupHost HOST = CgroupHost.parse(CgroupHostTest.HYBRID_MOUNTINFO, CgroupHostTest.SELF,
            CgroupHostTest.PROC_CGROUPS);

    @ParameterizedTest(name = "{0} / \"{1}\" -> memory {2}, cgroup2 {3}")
    @CsvSource(delimiter = '|', value = {
            // id  | cgroupsPath        | memory dir                                         | unified dir
            "c1    | /machine/ctr1      | /sys/fs/cgroup/memory/machine/ctr1                 | /sys/fs/cgroup/unified/machine/ctr1",
            "c1    | machine/ctr1       | /sys/fs/cgroup/memory/process_api/abc/machine/ctr1 | /sys/fs/cgroup/unified/init.scope/machine/ctr1",
            "c1    | ''                 | /sys/fs/cgroup/memory/process_api/abc/c1           | /sys/fs/cgroup/unified/init.scope/c1",
            "c1    | //a//./b/          | /sys/fs/cgroup/memory/a/b                          | /sys/fs/cgroup/unified/a/b",
            "c1    | /a/x/../b          | /sys/fs/cgroup/memory/a/b                          | /sys/fs/cgroup/unified/a/b",
            "c1    | a/../b             | /sys/fs/cgroup/memory/process_api/abc/b            | /sys/fs/cgroup/unified/init.scope/b",
            "c1    | /with:colon/x      | /sys/fs/cgroup/memory/with:colon/x                 | /sys/fs/cgroup/unified/with:colon/x",
    })
    void resolves(String id, String cgroupsPath, String memory, String unified) {
        CgroupPath p = CgroupPath.resolve(id, cgroupsPath);
        assertEquals(Path.of(memory), p.in(HOST, HOST.v1("memory")));
        assertEquals(Path.of(unified), p.in(HOST, HOST.unified()));
    }

    @ParameterizedTest(name = "\"{1}\" is rejected")
    @CsvSource(delimiter = '|', value = {
            "c1  | /..                  | escapes",
            "c1  | /a/../../b           | escapes",
            "c1  | ../sibling           | escapes",
            "c1  | a/../../b            | escapes",
            "c1  | /                    | root cgroup",
            "c1  | .                    | own cgroup",
            "c1  | system.slice:docker:abc | only valid with --systemd-cgroup",
            "../x | ''                  | cannot name a cgroup directory",
    })
    void rejects(String id, String cgroupsPath, String message) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> CgroupPath.resolve(id, cgroupsPath));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void systemdForm() {
        CgroupPath.Systemd s = CgroupPath.Systemd.parse("abc", "system.slice:docker:abc");
        assertEquals("docker-abc.scope", s.unitName());
        assertEquals("/system.slice/docker-abc.scope", s.cgroupPath());
        assertEquals("/machine.slice/machine-qemu.slice/x.scope",
                CgroupPath.Systemd.parse("x", "machine-qemu.slice::x").cgroupPath());
        assertEquals("/system.slice/runc-id1.scope", CgroupPath.Systemd.parse("id1", "").cgroupPath());
        assertEquals("/user.slice/sub.slice", CgroupPath.Systemd.parse("x", "user.slice:p:sub.slice").cgroupPath());
        assertEquals("a.slice/a-b.slice/a-b-c.slice", CgroupPath.Systemd.expandSlice("a-b-c.slice"));
        assertEquals("", CgroupPath.Systemd.expandSlice("-.slice"));
        assertThrows(InvalidArgumentException.class, () -> CgroupPath.Systemd.parse("x", "/not/systemd"));
        assertThrows(InvalidArgumentException.class, () -> CgroupPath.Systemd.expandSlice("a--b.slice"));
        assertThrows(InvalidArgumentException.class, () -> CgroupPath.Systemd.expandSlice("noslice"));
    }

    @Test
    void systemdWithoutSystemdIsAClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(!CgroupHost.systemdRunning(), "systemd runs here");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> new CgroupManager(HOST).create("c1", "system.slice:jr:c1", true, null, false));
        assertEquals("systemd cgroup driver requested but systemd is not running (no /run/systemd/system); drop "
                + "--systemd-cgroup or use a cgroupsPath like /jruntime/c1", e.getMessage());
    }
}
