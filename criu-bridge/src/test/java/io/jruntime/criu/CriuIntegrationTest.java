package io.jruntime.criu;

import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
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
            Processes.WaitStatus st = p.reapTree(5_000);
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

    @Test
    void leaveRunningDumpKeepsProcessRunningAndRestoreOverItExplainsPidClash() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = tmp.path.resolve("images");
            p.awaitAtLeast(3, 10_000);
            long t0 = System.nanoTime();
            c.dump(DumpRequest.builder(p.pid, images).leaveRunning(true).build(), null);
            System.out.println("leave-running dump took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            long atDump = p.read();
            assertTrue(p.alive(), "the process must survive a leave-running dump");
            p.awaitAtLeast(atDump + 3, 10_000);

            CriuException e = assertThrows(CriuException.class,
                    () -> c.restore(RestoreRequest.builder(images).build(), null));
            System.out.println("restore over the running original:\n" + e.getMessage());
            assertEquals(CriuException.Kind.FAILED, e.kind());
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertTrue(e.getMessage().contains(images.resolve("restore.log").toString()), e.getMessage());
            assertEquals(images.resolve("restore.log"), e.logFile());
            assertFalse(e.logErrors().isEmpty());
            assertTrue(p.alive(), "a failed restore must not hurt the original");
        }
    }

    @Test
    void preDumpFailsUpFrontWithClearMessage() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = tmp.path.resolve("images");
            CriuException e = assertThrows(CriuException.class,
                    () -> c.preDump(DumpRequest.builder(p.pid, images).build(), null));
            assertEquals(CriuException.Kind.UNSUPPORTED, e.kind());
            assertEquals("--pre-dump needs memory dirty tracking (soft-dirty), which this kernel does not offer: "
                    + "criu check --feature mem_dirty_track fails", e.getMessage());
            assertFalse(Files.exists(images.resolve("inventory.img")), "nothing may be dumped");
            assertTrue(p.alive());

            // What CRIU itself says when asked anyway: the same advice is attached by the log hint.
            CriuException raw = assertThrows(CriuException.class, () -> c.runDump("pre-dump",
                    io.jruntime.criu.rpc.CriuRpc.criu_req_type.SINGLE_PRE_DUMP,
                    DumpRequest.builder(p.pid, images).logFile("pre-dump.log").build(), null, false));
            System.out.println("CRIU's own pre-dump failure:\n" + raw.getMessage());
            assertTrue(raw.getMessage().contains(CriuLog.NO_MEM_TRACK), raw.getMessage());
            assertTrue(p.alive(), "a failed pre-dump must leave the process running");
            long v = p.read();
            p.awaitAtLeast(v + 2, 10_000);
        }
    }

    @Test
    void restoreFromMissingOrEmptyImagesDirIsActionable() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-")) {
            Path missing = tmp.path.resolve("no-such-images");
            CriuException e1 = assertThrows(CriuException.class,
                    () -> c.restore(RestoreRequest.builder(missing).build(), null));
            System.out.println("missing images dir: " + e1.getMessage());
            assertEquals(CriuException.Kind.INVALID_REQUEST, e1.kind());
            assertTrue(e1.getMessage().contains(missing + " does not exist"), e1.getMessage());

            Path empty = Files.createDirectories(tmp.path.resolve("empty-images"));
            long t0 = System.nanoTime();
            CriuException e2 = assertThrows(CriuException.class,
                    () -> c.restore(RestoreRequest.builder(empty).build(), null));
            System.out.println("empty images dir (" + (System.nanoTime() - t0) / 1_000_000 + " ms):\n" + e2.getMessage());
            assertEquals(CriuException.Kind.FAILED, e2.kind());
            assertEquals(empty.resolve("restore.log"), e2.logFile());
            assertTrue(Files.isRegularFile(e2.logFile()));
            assertFalse(e2.logErrors().isEmpty(), "the CRIU log tail must be attached");
            assertTrue(e2.getMessage().contains("last errors in " + empty.resolve("restore.log")), e2.getMessage());
            assertTrue(e2.getMessage().contains("hint: "), e2.getMessage());
        }
    }

    @Test
    void notificationsArriveInOrderAndAreAnswered() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = tmp.path.resolve("images");
            Path work = tmp.path.resolve("work");
            p.awaitAtLeast(2, 10_000);
            List<CriuNotification> dumpSeen = new ArrayList<>();
            DumpResult d = c.dump(DumpRequest.builder(p.pid, images).workDir(work).build(), n -> {
                // CRIU waits for us: while it does, the tree is frozen in pre-dump/post-dump.
                dumpSeen.add(n);
            });
            assertEquals(work.resolve("dump.log"), d.logFile());
            assertTrue(Files.isRegularFile(work.resolve("dump.log")));
            assertFalse(Files.exists(images.resolve("dump.log")));
            List<String> dumpScripts = dumpSeen.stream().map(CriuNotification::script).toList();
            System.out.println("dump notifications: " + dumpScripts);
            assertEquals(CriuNotification.PRE_DUMP, dumpScripts.getFirst());
            assertEquals(CriuNotification.POST_DUMP, dumpScripts.getLast());
            p.reapTree(5_000);

            List<CriuNotification> seen = new ArrayList<>();
            RestoreResult r = c.restore(RestoreRequest.builder(images).workDir(work).build(), seen::add);
            p.pid = r.pid();
            List<String> scripts = seen.stream().map(CriuNotification::script).toList();
            System.out.println("restore notifications: " + seen);
            assertEquals(List.of(CriuNotification.PRE_RESTORE, CriuNotification.POST_RESTORE,
                    CriuNotification.PRE_RESUME, CriuNotification.POST_RESUME), scripts);
            assertEquals(r.pid(), seen.get(1).pid(), "post-restore names the restored root");
            assertTrue(seen.stream().noneMatch(CriuNotification::hasFd));
            p.awaitAtLeast(p.read() + 2, 10_000);
        }
    }

    @Test
    void failingCallbackAbortsDumpAndTreeKeepsRunning() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            p.awaitAtLeast(2, 10_000);
            CriuException e = assertThrows(CriuException.class, () -> c.dump(
                    DumpRequest.builder(p.pid, tmp.path.resolve("images")).build(), n -> {
                        if (n.script().equals(CriuNotification.POST_DUMP)) {
                            throw new IllegalStateException("images could not be uploaded");
                        }
                    }));
            System.out.println("callback failure: " + e.getMessage());
            assertEquals(CriuException.Kind.CALLBACK, e.kind());
            assertTrue(e.getMessage().contains("images could not be uploaded"));
            assertTrue(p.alive(), "CRIU resumes the tree when post-dump fails");
            long v = p.read();
            p.awaitAtLeast(v + 2, 10_000);
        }
    }

    @Test
    void detachedRestoreIsNotOurChild() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = tmp.path.resolve("images");
            p.awaitAtLeast(2, 10_000);
            c.dump(DumpRequest.builder(p.pid, images).build(), null);
            long atDump = p.read();
            p.reapTree(5_000);
            RestoreResult r = c.restore(RestoreRequest.builder(images).rstSibling(false).build(), null);
            int restored = r.pid();
            p.pid = -1;
            try {
                String stat = Files.readString(Path.of("/proc/" + restored + "/stat"));
                int ppid = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
                System.out.println("detached restore: pid " + restored + " ppid " + ppid);
                assertTrue(ppid != ProcessHandle.current().pid(), "restored tree must not be our child");
                p.awaitAtLeast(atDump + 2, 10_000);
            } finally {
                Processes.kill(-restored, 9);
                long deadline = System.currentTimeMillis() + 5000;
                while (!TestProcess.groupMembers(restored).isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
            }
        }
    }

    /**
     * The caller passes directory fds instead of paths. They are fds of this JVM, far above the 0..3 that criu swrk
     * has: CRIU opens them as /proc/<our pid>/fd/<n> (SO_PEERCRED of the socketpair), so they are not mapped into criu.
     */
    @Test
    void callerSuppliedDirectoryFds() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-it-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            Path images = Files.createDirectories(tmp.path.resolve("images"));
            Path work = Files.createDirectories(tmp.path.resolve("work"));
            int imagesFd = Fds.open(images.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
            int workFd = Fds.open(work.toString(), Fds.O_RDONLY | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
            try {
                assertTrue(imagesFd > 3 && workFd > 3, "fds " + imagesFd + ", " + workFd);
                p.awaitAtLeast(2, 10_000);
                DumpResult d = c.dump(DumpRequest.builder(p.pid, null).imagesDirFd(imagesFd).workDirFd(workFd)
                        .logFile("ckpt.log").build(), null);
                assertEquals(work.resolve("ckpt.log"), d.logFile(), "log found through the work dir fd");
                assertTrue(Files.isRegularFile(images.resolve("inventory.img")));
                long atDump = p.read();
                p.reapTree(5_000);
                RestoreResult r = c.restore(RestoreRequest.builder(null).imagesDirFd(imagesFd).workDirFd(workFd).build(), null);
                p.pid = r.pid();
                assertEquals(work.resolve("restore.log"), r.logFile());
                p.awaitAtLeast(atDump + 2, 10_000);
            } finally {
                Fds.close(imagesFd);
                Fds.close(workFd);
            }
        }
    }
}
