package io.jruntime.criu;

import io.jruntime.core.sys.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint and restore of plain processes with the real CRIU. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CriuIntegrationTest {

    @Test
    void versionAndFeatures() {
        CriuClient c = RealCriu.client();
        long t0 = System.nanoTime();
        CriuVersion v = c.version();
        System.out.println("criu " + c.binary() + " version " + v + " gitid=" + v.gitId() + " name=" + v.name());
        assertTrue(v.atLeast(CriuVersion.MINIMUM));
        CriuFeatures f = c.checkFeatures(FeatureCheck.ALL);
        System.out.printf("features %s in %d ms%n", f, (System.nanoTime() - t0) / 1_000_000);
        // This kernel has no soft-dirty tracking but does have userfaultfd.
        assertFalse(f.memTrack(), "mem_dirty_track should be missing on this kernel");
        assertTrue(f.lazyPages(), "uffd (lazy pages) should be available on this kernel");
    }

    @Test
    void dumpAndRestoreContinuesCounter() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = tmp.path.resolve("images");
            p.awaitAtLeast(5, 10_000);
            List<String> seen = new ArrayList<>();
            long t0 = System.nanoTime();
            DumpResult d = c.dump(DumpRequest.builder(p.pid, images).build(), n -> seen.add(n.script()));
            long dumpMs = (System.nanoTime() - t0) / 1_000_000;
            long atDump = p.read();
            Syscalls.WaitStatus st = p.reapTree(5_000);
            System.out.println("dump took " + dumpMs + " ms, notifications " + seen + ", counter " + atDump
                    + ", original exited: " + CriuSession.describe(st));
            assertTrue(Files.isRegularFile(images.resolve("inventory.img")));
            assertTrue(Files.isRegularFile(images.resolve("dump.log")));
            assertEquals(images.resolve("dump.log"), d.logFile());
            Thread.sleep(300);
            assertEquals(atDump, p.read(), "counter must stand still while the tree is checkpointed");

            List<String> seenR = new ArrayList<>();
            t0 = System.nanoTime();
            RestoreResult r = c.restore(RestoreRequest.builder(images).build(), n -> seenR.add(n.script() + (n.pid() > 0 ? "(" + n.pid() + ")" : "")));
            long restoreMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("restore took " + restoreMs + " ms, pid " + r.pid() + ", notifications " + seenR);
            p.pid = r.pid();
            long after = p.awaitAtLeast(atDump + 3, 10_000);
            assertTrue(after > atDump);
        }
    }
}
