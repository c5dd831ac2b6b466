package io.jruntime.bundles.engines;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `podman container checkpoint` / `restore` with jruntime (CRIU underneath). The workload writes
 * "<start-token> <counter>" to /counter/n: a restored process keeps its token and its count, a restarted one
 * would get a new token and count from 0. /counter is a tmpfs of the container's own: CRIU dumps its content with
 * the (frozen) processes, and Podman's rootfs diff never contains it. A counter in the rootfs made
 * importUnderNewNameWhileOriginalRuns fail at random: with --leave-running --export the original kept writing while
 * Podman archived the rootfs diff, and the archive was torn ("rootfs-diff.tar: unexpected EOF" on import).
 */
class PodmanCheckpointIT extends PodmanTestBase {
    static final String COUNTER = "tok=$$-$(date +%s%N); i=0; while true; do echo \"$tok $i\" > /counter/n.new; mv /counter/n.new /counter/n; i=$((i+1)); sleep 0.1; done";

    record Count(String token, int n) {
        /** null for an unreadable file (e.g. a restored container whose tmpfs is still empty). */
        static Count parse(String s) {
            String[] f = s.strip().split(" ");
            return f.length == 2 && f[1].matches("\\d+") ? new Count(f[0], Integer.parseInt(f[1])) : null;
        }
    }

    Count count(String name) {
        for (int attempt = 0; ; attempt++) {
            Count c = Count.parse(podman("exec", name, "cat", "/counter/n").ok().stdout());
            if (c != null || attempt == 20) {
                return c;
            }
        }
    }

    void startCounter(String name) {
        podman("run", "-d", "--name", name, "--network", "none", "--tmpfs", "/counter", IMAGE, "sh", "-c", COUNTER).ok();
        Cmd.await(name + " counting", 30_000, () -> {
            Cmd.Result r = podman("exec", name, "cat", "/counter/n");
            Count c = r.exitCode() == 0 ? Count.parse(r.stdout()) : null;
            return c != null && c.n() >= 5;
        });
    }

    /** The counter of a restored container: same token, not below what it had before the checkpoint, still moving. */
    void assertContinues(String name, Count before) {
        Count after = count(name);
        assertEquals(before.token(), after.token(), "restored process is the checkpointed one");
        assertTrue(after.n() >= before.n(), "counter continued: " + before + " -> " + after);
        Cmd.await(name + " counter moving after restore", 10_000, () -> count(name).n() > after.n());
    }

    @Test
    void checkpointAndRestoreInPlace() {
        startCounter("cp-plain");
        Count before = count("cp-plain");
        podman(120, "container", "checkpoint", "cp-plain").ok();
        assertEquals("exited", status("cp-plain"));
        podman(120, "container", "restore", "cp-plain").ok();
        assertEquals("running", status("cp-plain"));
        assertContinues("cp-plain", before);
    }

    @Test
    void checkpointLeaveRunning() {
        startCounter("cp-leave");
        podman(120, "container", "checkpoint", "--leave-running", "cp-leave").ok();
        assertEquals("running", status("cp-leave"));
        Count c = count("cp-leave");
        Cmd.await("counter moving after --leave-running", 10_000, () -> count("cp-leave").n() > c.n());
    }

    @Test
    void exportAndImportInPlace() {
        startCounter("cp-export");
        Count before = count("cp-export");
        Path archive = dir.resolve("cp-export.tar.gz");
        podman(120, "container", "checkpoint", "--export", archive.toString(), "cp-export").ok();
        assertTrue(Files.isRegularFile(archive));
        podman("rm", "cp-export").ok();
        podman(120, "container", "restore", "--import", archive.toString()).ok();
        assertEquals("running", status("cp-export"));
        assertContinues("cp-export", before);
    }

    @Test
    void importUnderNewNameWhileOriginalRuns() {
        startCounter("cp-orig");
        Path archive = dir.resolve("cp-orig.tar.gz");
        podman(120, "container", "checkpoint", "--leave-running", "--export", archive.toString(), "cp-orig").ok();
        Count atExport = count("cp-orig");
        podman(120, "container", "restore", "--import", archive.toString(), "--name", "cp-copy").ok();
        assertEquals("running", status("cp-orig"));
        assertEquals("running", status("cp-copy"));
        Count copy = count("cp-copy");
        assertEquals(atExport.token(), copy.token(), "the copy is the checkpointed process");
        Cmd.await("both counters moving", 10_000, () -> count("cp-copy").n() > copy.n() && count("cp-orig").n() > atExport.n());
    }

    /** An established loopback TCP connection inside the container survives checkpoint/restore. */
    @Test
    void tcpEstablished() {
        podman("run", "-d", "--name", "cp-tcp", "--network", "none", IMAGE, "sh", "-c",
                // the client retries until the listener is up (a fixed sleep before it could lose that race)
                "sleep 1000000 | nc -l -p 5000 > /tmp/received & "
                        + "until { i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done | nc 127.0.0.1 5000; }; do sleep 0.1; done").ok();
        Cmd.await("data flowing over TCP", 30_000, () -> received("cp-tcp") >= 5);
        Cmd.Result plain = podman(120, "container", "checkpoint", "cp-tcp");
        assertTrue(plain.exitCode() != 0 && plain.stderr().contains("tcp-established"), plain.toString());
        assertEquals("running", status("cp-tcp"));
        podman(120, "container", "checkpoint", "--tcp-established", "cp-tcp").ok();
        podman(120, "container", "restore", "--tcp-established", "cp-tcp").ok();
        int after = received("cp-tcp");
        Cmd.await("data still flowing over the restored connection", 10_000, () -> received("cp-tcp") > after);
    }

    int received(String name) {
        Cmd.Result r = podman("exec", name, "sh", "-c", "tail -n 1 /tmp/received");
        String s = r.stdout().strip();
        return r.exitCode() == 0 && s.matches("\\d+") ? Integer.parseInt(s) : -1;
    }
}
