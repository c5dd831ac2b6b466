package io.jruntime.core.sys;

import io.jruntime.core.cgroups.CgroupHost;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caller's context as the daemon builds it from a HELLO, and as this process reads its own. */
class CallerContextTest {
    @Test
    void newFilesGetTheCallersUmask() {
        CallerContext strict = new CallerContext(1, Path.of("/a"), 077, Map.of());
        CallerContext usual = new CallerContext(1, Path.of("/b"), 022, Map.of());
        CallerContext none = new CallerContext(1, Path.of("/c"), 0, Map.of());
        assertEquals("rw-------", PosixFilePermissions.toString(strict.newFilePermissions()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(usual.newFilePermissions()));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(none.newFilePermissions()));
        assertEquals(0750, new CallerContext(1, Path.of("/"), 027, Map.of()).masked(0777));
    }

    @Test
    void cwdMustBeAbsoluteAndEnvIsACopy() {
        assertThrows(IllegalArgumentException.class, () -> new CallerContext(1, Path.of("rel"), 022, Map.of()));
        java.util.HashMap<String, String> env = new java.util.HashMap<>(Map.of("A", "1"));
        CallerContext c = new CallerContext(1, Path.of("/"), 022, env);
        env.put("B", "2");
        assertEquals(List.of("A=1"), c.envList(), "a later change of the map does not reach the context");
    }

    @Test
    void thisProcessReadsItsUmaskWithoutSettingIt() {
        CallerContext self = CallerContext.ofThisProcess();
        int viaSyscall = Processes.umask(022);
        Processes.umask(viaSyscall);
        assertEquals(viaSyscall, self.umask());
        assertEquals(0, self.pid());
        assertTrue(self.cwd().isAbsolute());
        assertEquals(System.getenv(), self.env());
    }

    @Test
    void anotherProcessesOwnCgroupsOverTheSameLayout() {
        CgroupHost mine = CgroupHost.detect();
        CgroupHost theirs = mine.withOwnCgroupsOf((int) ProcessHandle.current().pid());
        assertEquals(mine.all(), theirs.all(), "the layout is the same");
        assertEquals(mine.ownCgroups(), theirs.ownCgroups(), "our own pid: our own cgroups");
    }
}
