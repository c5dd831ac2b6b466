package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless downgrades, with a fake layout: a "pids" hierarchy where mkdir fails with EPERM (sysfs) and a "memory"
 * hierarchy on a plain temp directory where it works.
 */
class RootlessTest {
    @TempDir
    Path tmp;

    private CgroupHost host() {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "sysfs");
        return new CgroupHost(CgroupLayout.LEGACY, List.of(
                new CgroupHost.Hierarchy(Path.of("/sys/kernel"), "/", Set.of("pids"), false),
                new CgroupHost.Hierarchy(tmp, "/", Set.of("memory"), false)),
                null, java.util.Map.of());
    }

    @Test
    void permissionErrorsAreWarningsWithoutResources() {
        CgroupHost host = host();
        List<LogRecord> logs = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logs.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = Cgroup.log(); // held for the test: JUL keeps loggers only weakly
        log.addHandler(h);
        try {
            Cgroup cg = new CgroupManager(host).create("c1", "/jruntime-rootless-x/c1", false, null, true);
            assertNull(cg.path("pids"), "no pids cgroup");
            assertEquals(tmp.resolve("jruntime-rootless-x/c1"), cg.path("memory"));
            assertTrue(cg.rootless());
            assertEquals("true", cg.toPaths().get(Cgroup.ROOTLESS_KEY));
            assertTrue(logs.stream().anyMatch(r -> r.getMessage().contains("rootless cgroups: cannot create cgroup /sys/kernel/jruntime-rootless-x")
                    && r.getMessage().contains("Operation not permitted")), logs.toString());
            cg.destroy(Duration.ofSeconds(1));
            assertFalse(Files.exists(tmp.resolve("jruntime-rootless-x")));
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void permissionErrorsNameTheResourceWhenOneWasRequested() {
        CgroupHost host = host();
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> new CgroupManager(host).create("c1",
                "/jruntime-rootless-y/c1", false, CgroupResources.NONE.withPids(new CgroupResources.Pids(10L)), true));
        assertTrue(e.getMessage().startsWith("linux.resources.pids.limit: cannot create cgroup /sys/kernel/jruntime-rootless-y: "
                + "Operation not permitted"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("jruntime-rootless-y")), "partial creation cleaned up");
    }

    @Test
    void withoutRootlessItIsAnError() {
        CgroupHost host = host();
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> new CgroupManager(host).create("c1", "/jruntime-rootless-z/c1", false, null, false));
        assertTrue(e.getMessage().startsWith("cannot create cgroup /sys/kernel/jruntime-rootless-z: Operation not permitted"),
                e.getMessage());
    }
}
