package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.rootless.RootlessCheckpoint;
import io.jruntime.core.rootless.RootlessCheckpoint.Container;
import io.jruntime.core.rootless.RootlessCheckpoint.Operation;
import io.jruntime.core.rootless.RootlessCheckpoint.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless checkpoint/restore with CRIU's unprivileged mode, step by step, on a container that the unprivileged
 * test user runs with jruntime (user, pid, ipc, uts and mount namespaces; subordinate ids through newuidmap):
 * a copy of the criu binary gets more and more file capabilities, and at each step both CRIU's real outcome and
 * {@link RootlessCheckpoint#preflight} are asserted. The result on this kernel/CRIU (documented in docs/ROOTLESS.md):
 * dump works only once criu has cap_checkpoint_restore, cap_setgid, cap_sys_admin and cap_sys_chroot; restore of
 * such a container does not work at all (UTS namespace), whatever the capabilities.
 */
class RootlessCheckpointIT extends RootlessTestBase {
    static final Path CRIU = Path.of("/usr/local/sbin/criu");

    Path criu;
    Path images;
    String id = "rl-ck";
    Path bundle;

    @BeforeEach
    void copyCriu() throws IOException {
        assumeTrue(Files.isExecutable(CRIU), CRIU + " is missing (make deps builds it)");
        criu = work.resolve("criu");
        Files.copy(CRIU, criu);
        images = user.ownedDir(work.resolve("images"));
    }

    /**
     * Starts the container as the user: `spec --rootless` plus subordinate ranges; with {@code plain} also without
     * a UTS namespace and without the host /sys bind (and its masked/read-only paths).
     */
    void startContainer(boolean plain) throws IOException {
        bundle = bundle("b", c -> {
            ObjectNode l = (ObjectNode) c.get("linux");
            ArrayNode u = l.putArray("uidMappings");
            u.addObject().put("containerID", 0).put("hostID", user.uid).put("size", 1);
            u.addObject().put("containerID", 1).put("hostID", user.subuidStart).put("size", Math.min(65536, user.subuidCount));
            ArrayNode g = l.putArray("gidMappings");
            g.addObject().put("containerID", 0).put("hostID", user.gid).put("size", 1);
            g.addObject().put("containerID", 1).put("hostID", user.subgidStart).put("size", Math.min(65536, user.subgidCount));
            if (plain) {
                c.remove("hostname");
                removeIf((ArrayNode) l.get("namespaces"), n -> n.path("type").asText().equals("uts"));
                removeIf((ArrayNode) c.get("mounts"), m -> m.path("destination").asText().startsWith("/sys"));
                removeIf((ArrayNode) l.get("maskedPaths"), p -> p.asText().startsWith("/sys"));
                removeIf((ArrayNode) l.get("readonlyPaths"), p -> p.asText().startsWith("/sys"));
            }
        }, "sh", "-c", "exec </dev/null >/dev/null 2>&1; i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.2; done");
        jr("run", "-d", "--bundle", bundle.toString(), id).assertOk();
    }

    private static void removeIf(ArrayNode a, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> p) {
        if (a != null) {
            for (int i = a.size() - 1; i >= 0; i--) {
                if (p.test(a.get(i))) {
                    a.remove(i);
                }
            }
        }
    }

    private int initPid() {
        return Bundle.parse(jr("state", id).stdout()).path("pid").asInt();
    }

    private void setcap(String caps) {
        Jruntime.exec(List.of("setcap", caps, criu.toString()), null, 10).assertOk();
    }

    /** criu as the test user; returns exit status and CRIU's log (or its stderr when it wrote no log). */
    private Jruntime.Result criu(String log, String... args) throws IOException {
        Files.deleteIfExists(images.resolve(log));
        List<String> cmd = new ArrayList<>(user.as(null, RootlessUser.NAME));
        cmd.add(criu.toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--unprivileged", "-D", images.toString(), "-o", log, "-v4",
                "--ext-mount-map", "auto", "--enable-external-sharing", "--enable-external-masters"));
        Jruntime.Result r = Jruntime.exec(cmd, work, 60);
        String text = Files.exists(images.resolve(log)) ? Files.readString(images.resolve(log)) : "";
        return new Jruntime.Result(r.exitCode(), text, r.stderr() + r.stdout());
    }

    private Result preflight(Operation op, boolean uts) {
        return RootlessCheckpoint.preflight(op, RootlessCheckpoint.detect(user.uid, criu), new Container(true, uts, true, uts));
    }

    @Test
    void capabilityByCapability() throws Exception {
        startContainer(false);
        int pid = initPid();
        String[] dump = {"dump", "-t", Integer.toString(pid)};

        // 1. no file capabilities at all
        Jruntime.Result r = criu("dump1.log", dump);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("CRIU needs to have the CAP_SYS_ADMIN or the CAP_CHECKPOINT_RESTORE capability"), r.stderr());
        Result p = preflight(Operation.CHECKPOINT, true);
        assertFalse(p.ok());
        assertEquals(List.of("cap_checkpoint_restore", "cap_setgid", "cap_sys_admin", "cap_sys_chroot"), p.missingCaps());
        assertTrue(p.message().contains("has no file capabilities"), p.message());

        // 2. what CRIU itself asks for: cap_checkpoint_restore
        setcap("cap_checkpoint_restore+eip");
        r = criu("dump2.log", dump);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("Unable to drop supplementary groups: Operation not permitted"), r.stdout());
        assertEquals(List.of("cap_setgid", "cap_sys_admin", "cap_sys_chroot"), preflight(Operation.CHECKPOINT, true).missingCaps());

        // 3. + cap_setgid: the user-namespace check passes, entering the container's mount namespace does not
        setcap("cap_checkpoint_restore,cap_setgid+eip");
        r = criu("dump3.log", dump);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("/mnt: Operation not permitted") && r.stdout().contains("Can't setns"), r.stdout());
        assertEquals(List.of("cap_sys_admin", "cap_sys_chroot"), preflight(Operation.CHECKPOINT, true).missingCaps());

        // 4. + cap_sys_admin, cap_sys_chroot: the dump works (and the container's processes are gone)
        setcap("cap_checkpoint_restore,cap_setgid,cap_sys_admin,cap_sys_chroot+eip");
        assertTrue(preflight(Operation.CHECKPOINT, true).ok());
        r = criu("dump4.log", dump);
        assertEquals(0, r.exitCode(), r.stdout());
        assertTrue(r.stdout().contains("Dumping finished successfully"), r.stdout());
        for (int i = 0; i < 250 && Files.exists(Path.of("/proc/" + pid)); i++) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(Path.of("/proc/" + pid)) && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z "),
                "dumped tasks are killed");

        // 5. restore with the dump's capabilities: writing a uid_map with subordinate ranges needs cap_setuid
        String[] restore = {"restore", "-d", "--root", bundle.resolve("rootfs").toString(),
                "--pidfile", work.resolve("restored.pid").toString()};
        r = criu("restore5.log", restore);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("Unable to write into uid_map: Operation not permitted"), r.stdout());
        Result noSetuid = RootlessCheckpoint.preflight(Operation.RESTORE, RootlessCheckpoint.detect(user.uid, criu),
                new Container(true, false, true, false));
        assertEquals(List.of("cap_setuid"), noSetuid.missingCaps());

        // 6. + cap_setuid: the restored UTS namespace's host name cannot be written; preflight says so up front
        setcap("cap_checkpoint_restore,cap_setgid,cap_setuid,cap_sys_admin,cap_sys_chroot+eip");
        r = criu("restore6.log", restore);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("Can't open sysctl kernel/hostname: Permission denied"), r.stdout());
        Result p6 = preflight(Operation.RESTORE, true);
        assertFalse(p6.ok());
        assertTrue(p6.message().contains("UTS namespace") && p6.message().contains("kernel/hostname"), p6.message());
    }

    @Test
    void dumpAndRestoreWorkWithoutUtsNamespaceAndHostSys() throws Exception {
        startContainer(true);
        int pid = initPid();
        setcap("cap_checkpoint_restore,cap_setgid,cap_setuid,cap_sys_admin,cap_sys_chroot+eip");
        Container shape = new Container(true, false, true, false);
        Result pc = RootlessCheckpoint.preflight(Operation.CHECKPOINT, RootlessCheckpoint.detect(user.uid, criu), shape);
        Result pr = RootlessCheckpoint.preflight(Operation.RESTORE, RootlessCheckpoint.detect(user.uid, criu), shape);
        assertTrue(pc.ok() && pr.ok(), pc.message() + " / " + pr.message());

        Jruntime.Result r = criu("dump.log", "dump", "-t", Integer.toString(pid));
        assertEquals(0, r.exitCode(), r.stdout());
        Path count = bundle.resolve("rootfs/tmp/count");
        for (int i = 0; i < 250 && Files.exists(Path.of("/proc/" + pid + "/ns")); i++) {
            Thread.sleep(20);
        }
        long before = Long.parseLong(Files.readString(count).trim());
        Thread.sleep(600);
        assertEquals(before, Long.parseLong(Files.readString(count).trim()), "nothing runs after the dump");

        Path pidFile = work.resolve("restored.pid");
        r = criu("restore.log", "restore", "-d", "--root", bundle.resolve("rootfs").toString(), "--pidfile", pidFile.toString());
        assertEquals(0, r.exitCode(), r.stdout());
        long restored = Long.parseLong(Files.readString(pidFile).trim());
        try {
            // polled, not slept: under load the restored loop may take long to get its next turn
            long deadline = System.nanoTime() + 60_000_000_000L;
            long now = before;
            while (now <= before && System.nanoTime() < deadline) {
                Thread.sleep(50);
                String text = Files.readString(count).trim(); // empty between the loop's truncate and its write
                now = text.isEmpty() ? now : Long.parseLong(text);
            }
            assertTrue(now > before, "the restored loop counts on");
            List<String> status = Files.readAllLines(Path.of("/proc/" + restored + "/status"));
            assertTrue(status.contains("Uid:\t" + user.uid + "\t" + user.uid + "\t" + user.uid + "\t" + user.uid), status.toString());
            assertTrue(status.stream().anyMatch(l -> l.startsWith("NSpid:") && l.endsWith("\t1")), "pid 1 of its own pid namespace");
            assertEquals(List.of("0 " + user.uid + " 1", "1 " + user.subuidStart + " " + Math.min(65536, user.subuidCount)),
                    Files.readAllLines(Path.of("/proc/" + restored + "/uid_map")).stream()
                            .map(l -> l.trim().replaceAll("\\s+", " ")).toList());
        } finally {
            Jruntime.exec(List.of("kill", "-9", Long.toString(restored)), null, 10);
        }
    }
}
