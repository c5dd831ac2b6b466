package io.jruntime.bundles.engines;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Podman's everyday commands with jruntime as the OCI runtime (fixture: {@link PodmanTestBase}). */
class PodmanIT extends PodmanTestBase {
    @Test
    void runRmPrintsOutputAndLeavesNothing() {
        Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "echo hello from jruntime; id -u").ok();
        assertEquals("hello from jruntime\n0\n", r.stdout());
        assertEquals("", podman("ps", "-aq").ok().stdout().strip());
        r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "exit 42");
        assertEquals(42, r.exitCode(), r.toString());
    }

    @Test
    void detachedExecTtyStopRm() {
        startLoop("pm-exec");
        assertEquals("running", status("pm-exec"));
        assertEquals("in exec\n", podman("exec", "pm-exec", "echo", "in exec").ok().stdout());
        assertEquals(5, podman("exec", "pm-exec", "sh", "-c", "exit 5").exitCode());
        Cmd.Result tty = Cmd.runInPty(command("exec", "-t", "pm-exec", "sh", "-c", "tty; stty size >/dev/null && echo sized"), env, null, 60);
        assertEquals(0, tty.exitCode(), tty.toString());
        assertTrue(tty.stdout().contains("/dev/pts/"), tty.toString());
        podman("stop", "-t", "2", "pm-exec").ok();
        assertEquals("exited", status("pm-exec"));
        podman("rm", "pm-exec").ok();
        assertFalse(podman("container", "exists", "pm-exec").exitCode() == 0);
    }

    @Test
    void runInteractiveThroughConsoleSocket() {
        Cmd.Result r = Cmd.runInPty(command("run", "-it", "--rm", "--network", "none", IMAGE, "sh"), env,
                "tty; echo ok-$((40+2)); exit 3\n", 60);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("/dev/pts/0"), r.toString());
        assertTrue(r.stdout().contains("ok-42"), r.toString());
    }

    @Test
    void pauseUnpause() {
        startLoop("pm-pause");
        podman("pause", "pm-pause").ok();
        assertEquals("paused", status("pm-pause"));
        podman("unpause", "pm-pause").ok();
        assertEquals("running", status("pm-pause"));
        int before = counter("pm-pause");
        Cmd.await("counter moving after unpause", 10_000, () -> counter("pm-pause") > before);
    }

    @Test
    void updateMemory() {
        startLoop("pm-update");
        podman("update", "--memory", "64m", "pm-update").ok();
        String limit = podman("exec", "pm-update", "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes").ok().stdout().strip();
        assertEquals(String.valueOf(64L << 20), limit);
    }

    @Test
    void killWithSignal() {
        podman("run", "-d", "--name", "pm-kill", "--network", "none", IMAGE, "sh", "-c",
                "trap 'echo got-usr1 > /tmp/sig' USR1; touch /tmp/ready; while true; do sleep 0.1; done").ok();
        Cmd.await("trap installed", 20_000, () -> podman("exec", "pm-kill", "test", "-e", "/tmp/ready").exitCode() == 0);
        podman("kill", "-s", "USR1", "pm-kill").ok();
        Cmd.await("USR1 handled", 10_000, () -> podman("exec", "pm-kill", "cat", "/tmp/sig").stdout().contains("got-usr1"));
        podman("kill", "-s", "KILL", "pm-kill").ok();
        Cmd.await("exited after SIGKILL", 20_000, () -> status("pm-kill").equals("exited"));
        assertEquals("137", podman("inspect", "--format", "{{.State.ExitCode}}", "pm-kill").ok().stdout().strip());
    }

    @Test
    void top() {
        podman("run", "-d", "--name", "pm-top", "--network", "none", IMAGE, "sleep", "1000").ok();
        Cmd.Result r = podman("top", "pm-top").ok();
        assertTrue(r.stdout().contains("sleep 1000"), r.toString());
        r = podman("top", "pm-top", "pid", "args").ok();
        assertTrue(r.stdout().lines().anyMatch(l -> l.strip().startsWith("1 ") && l.contains("sleep 1000")), r.toString());
    }

    @Test
    void errorPathsGivePodmanExitCodes() {
        Cmd.Result missing = podman("run", "--rm", "--network", "none", IMAGE, "/no/such/program");
        assertEquals(127, missing.exitCode(), missing.toString());
        Cmd.Result perm = podman("run", "--rm", "--network", "none", IMAGE, "/etc/passwd");
        assertEquals(126, perm.exitCode(), perm.toString());
        Cmd.Result execMissing = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "exec /nonexistent");
        assertEquals(127, execMissing.exitCode(), execMissing.toString());
        assertEquals("", podman("ps", "-aq").ok().stdout().strip());
    }

    /** Podman runs state/kill/delete/pause/resume with only XDG_RUNTIME_DIR set: no PATH, no HOME. */
    @Test
    void runtimeWorksWithEmptyEnvironment() {
        podman("run", "-d", "--name", "pm-env", "--network", "none", IMAGE, "sleep", "1000").ok();
        String id = podman("inspect", "--format", "{{.Id}}", "pm-env").ok().stdout().strip();
        List<String> base = List.of("env", "-i", "XDG_RUNTIME_DIR=", runtime.toString(), "--root", dir + "/jruntime-state");
        for (String[] op : new String[][] {{"state", id}, {"pause", id}, {"resume", id}, {"state", id}}) {
            List<String> c = new ArrayList<>(base);
            c.addAll(List.of(op));
            Cmd.run(c, Map.of(), null, 30).ok();
        }
        List<String> c = new ArrayList<>(base);
        c.addAll(List.of("state", "no-such-container"));
        Cmd.Result r = Cmd.run(c, Map.of(), null, 30);
        assertTrue(r.exitCode() != 0 && r.stderr().contains("does not exist"), r.toString());
        podman("rm", "-f", "-t", "0", "pm-env").ok();
    }
}
