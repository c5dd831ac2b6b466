package io.jruntime.criu;

import io.jruntime.core.sys.Spawn;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tree whose terminal's master is held outside it (like a container console held by the runtime): dumped and
 * restored with orphan_pts_master (on the dump it makes CRIU accept the master-less pty slave; without it the restore
 * fails with "Deprecated functionality (TTY w/o regfile) rejected"), CRIU hands us a new pty master over SCM_RIGHTS in
 * the "orphan-pts-master" notification, and the restored tree's output arrives on it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanPtsTest {
    private static final String HOLDER = """
            import os, pty, sys, fcntl, termios
            out, script = sys.argv[1], sys.argv[2]
            m, s = pty.openpty()
            pid = os.fork()
            if pid == 0:
                os.setsid()
                fcntl.ioctl(s, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(s, fd)
                os.close(m); os.close(s)
                os.execv('/bin/sh', ['sh', '-c', script])
            st = os.fstat(s)
            os.close(s)
            with open(out + '.tmp', 'w') as f:
                f.write('%d %x %x\\n' % (pid, st.st_rdev, st.st_dev))
            os.rename(out + '.tmp', out)
            while True:
                try:
                    if not os.read(m, 4096):
                        break
                except OSError:
                    break
            """;

    @Test
    void restoredTreeGetsNewPtyMasterThroughNotification() throws Exception {
        CriuClient c = RealCriu.client();
        try (TempDir tmp = new TempDir("criu-pty-")) {
            Path dir = Files.createDirectories(tmp.path.resolve("x"));
            Path info = tmp.path.resolve("info");
            Path holderPy = Files.writeString(tmp.path.resolve("holder.py"), HOLDER);
            String script = "cd '" + dir + "' && i=0; while :; do i=$((i+1)); echo $i > counter; echo tick-$i; sleep 0.1; done";
            int devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
            int holder;
            try {
                holder = Spawn.spawn("/usr/bin/python3", List.of("python3", holderPy.toString(), info.toString(), script),
                        List.of("PATH=/usr/bin:/bin"), Map.of(0, devNull, 1, devNull, 2, devNull), true);
            } finally {
                Fds.close(devNull);
            }
            int treePid = -1;
            int restored = -1;
            int master = -1;
            try {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!Files.exists(info)) {
                    assertTrue(System.currentTimeMillis() < deadline, "pty holder did not start");
                    Thread.sleep(20);
                }
                String[] f = Files.readString(info).strip().split(" ");
                treePid = Integer.parseInt(f[0]);
                TestProcess probe = new TestProcessView(dir, treePid);
                probe.awaitAtLeast(3, 10_000);

                Path images = tmp.path.resolve("images");
                c.dump(DumpRequest.builder(treePid, images).orphanPtsMaster(true).build(), null);
                // The original tree is dead; its parent (the holder) reaps it. Stop the holder and wait for the pids.
                TestProcess.killAndReap(holder);
                holder = -1;
                while (!TestProcess.groupMembers(treePid).isEmpty()) {
                    Thread.sleep(10);
                }

                List<String> seen = new ArrayList<>();
                int[] got = {-1};
                RestoreResult r = c.restore(RestoreRequest.builder(images).orphanPtsMaster(true).build(), n -> {
                    seen.add(n.script() + (n.hasFd() ? "(fd)" : ""));
                    if (n.script().equals(CriuNotification.ORPHAN_PTS_MASTER) && n.hasFd()) {
                        got[0] = Fds.fcntl(n.fd(), Fds.F_DUPFD_CLOEXEC, 0); // keep it past the callback
                    }
                });
                restored = r.pid();
                master = got[0];
                System.out.println("orphan pts restore: notifications " + seen + ", pid " + restored);
                assertTrue(seen.contains(CriuNotification.ORPHAN_PTS_MASTER + "(fd)"), seen.toString());
                assertTrue(master >= 0);
                StringBuilder out = new StringBuilder();
                long until = System.currentTimeMillis() + 10_000;
                while (!out.toString().contains("tick-") && System.currentTimeMillis() < until) {
                    if (Fds.poll(master, Fds.POLLIN, 200) != 0) {
                        byte[] b = Fds.read(master, 4096, "pty master");
                        if (b == null || b.length == 0) {
                            break;
                        }
                        out.append(new String(b, StandardCharsets.UTF_8));
                    }
                }
                System.out.println("read from the new master: " + out.toString().strip().replace("\r\n", " | "));
                assertTrue(out.toString().contains("tick-"), "restored tree's output must arrive on the master: " + out);
            } finally {
                if (master >= 0) {
                    Fds.close(master);
                }
                if (restored > 0) {
                    TestProcess.killAndReap(restored);
                }
                if (holder > 0) {
                    TestProcess.killAndReap(holder);
                }
                if (treePid > 0) {
                    Processes.kill(-treePid, 9);
                }
            }
        }
    }

    /** Reads the counter of a tree that is not our child. */
    private static final class TestProcessView extends TestProcess {
        TestProcessView(Path dir, int pid) {
            super(dir, pid);
        }
    }
}
