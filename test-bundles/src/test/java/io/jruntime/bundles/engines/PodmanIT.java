package io.jruntime.bundles.engines;

import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Podman 4.3 (with conmon) driving bin/jruntime through `--runtime`. Everything Podman keeps lives in one
 * test-owned directory: storage (vfs driver), run root, tmp dir, events log, containers.conf (listing jruntime
 * in runtime_supports_json, with ulimits this VM allows) and jruntime's own state root (`--runtime-flag root=`).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PodmanIT {
    static final String IMAGE = "localhost/busybox:latest";
    static final String LOOP = "i=0; while true; do echo $i > /tmp/counter; i=$((i+1)); sleep 0.2; done";

    Path dir;
    Path runtime;
    Map<String, String> env;

    @BeforeAll
    void setUp() throws IOException {
        assumeTrue(Cmd.exists("podman") && Cmd.exists("conmon"), "podman/conmon not installed (make deps)");
        runtime = Jruntime.defaultBinary();
        assertEquals("jruntime", runtime.getFileName().toString(), "Podman keys runtime_supports_json by file name");
        dir = Files.createTempDirectory(Path.of("/tmp"), "jrpm-");
        Files.writeString(dir.resolve("containers.conf"), containersConf(dir, runtime));
        Files.writeString(dir.resolve("storage.conf"), """
                [storage]
                driver = "vfs"
                graphroot = "%s/root"
                runroot = "%s/run"
                """.formatted(dir, dir));
        env = Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(), "TMPDIR", dir.resolve("tmp").toString());
        Files.createDirectories(dir.resolve("tmp"));
        Path tar = BusyboxImage.rootfsTar(dir);
        podman(120, "import", "--change", "ENV " + BusyboxImage.PATH_ENV, tar.toString(), IMAGE).ok();
        Files.delete(tar);
    }

    /** The containers.conf documented in docs/ENGINES.md, with the test's paths. */
    static String containersConf(Path dir, Path runtime) {
        return """
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                log_driver = "k8s-file"

                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s/events.log"
                runtime = "jruntime"
                runtime_supports_json = ["crun", "runc", "kata", "runsc", "krun", "jruntime"]
                runtime_supports_nocgroups = ["crun", "krun", "jruntime"]

                [engine.runtimes]
                jruntime = ["%s"]
                """.formatted(dir, runtime);
    }

    @AfterEach
    void removeContainers() {
        if (dir != null) {
            podman(120, "rm", "--all", "--force", "--time", "0");
        }
    }

    @AfterAll
    void tearDown() {
        if (dir == null) {
            return;
        }
        try {
            podman(120, "rm", "--all", "--force", "--time", "0");
            podman(120, "rmi", "--all", "--force");
        } finally {
            for (ProcessHandle p : Cmd.processesWithArg(dir.toString())) {
                Cmd.killTree(p);
            }
            Cmd.removeTree(dir);
        }
    }

    Cmd.Result podman(int timeout, String... args) {
        return Cmd.run(command(args), env, null, timeout);
    }

    Cmd.Result podman(String... args) {
        return podman(60, args);
    }

    List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of("podman", "--root", dir + "/root", "--runroot", dir + "/run",
                "--tmpdir", dir + "/libpod-tmp", "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--runtime", runtime.toString(), "--runtime-flag", "root=" + dir + "/jruntime-state"));
        c.addAll(List.of(args));
        return c;
    }

    String status(String name) {
        return podman("inspect", "--format", "{{.State.Status}}", name).ok().stdout().strip();
    }

    void startLoop(String name) {
        podman("run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c", LOOP).ok();
        Cmd.await(name + " counter", 20_000, () -> podman("exec", name, "cat", "/tmp/counter").exitCode() == 0);
    }

    int counter(String name) {
        return Integer.parseInt(podman("exec", name, "cat", "/tmp/counter").ok().stdout().strip());
    }

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
