package io.jruntime.bundles.engines;

import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.RootlessUser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless Podman 4.3 (as the test user {@value RootlessUser#NAME}, with its /etc/subuid and /etc/subgid ranges
 * and newuidmap/newgidmap) driving a private, world-readable copy of jruntime. Podman runs the runtime as root in
 * its own user namespace (kept alive by its pause process) with XDG_RUNTIME_DIR but no USER, so jruntime's state
 * goes to $XDG_RUNTIME_DIR/jruntime and it runs with rootless EUID false / rootless cgroups true (cgroup v1
 * hybrid host: no cgroup the user can write).
 *
 * <p>Everything lives in one test directory: storage (vfs), run root, tmp dir, XDG_RUNTIME_DIR, events log,
 * containers.conf. Container names carry a random suffix. Each test removes its containers and checks that
 * jruntime left no state; the class ends by stopping Podman's pause process and checking that no process of
 * this directory and no cgroup of the user remain. What Podman refuses rootless (checkpoint, pause and stats on
 * cgroup v1, resource limits) is asserted to fail exactly as with runc 1.1.5, side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PodmanRootlessIT {
    static final String IMAGE = "localhost/busybox:latest";
    static final String RUNC = "/usr/sbin/runc";

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    RootlessUser user;
    Path dir;
    Path home;
    Path xdg;
    Path runtime;
    /** The per-user daemon's directory under the test's XDG_RUNTIME_DIR (launcher.c's user_daemon_dir). */
    Path daemonDir;

    /**
     * Podman gives the runtime an environment of its own (no JRUNTIME_*), so the runtime it calls is a wrapper
     * named jruntime that sets these. This class runs every call in its own JVM; PodmanRootlessDaemonIT turns
     * the per-user daemon on.
     */
    String runtimeEnv() {
        return "JRUNTIME_DAEMON=0";
    }

    @BeforeAll
    void setUp() throws IOException {
        assumeTrue(Cmd.exists("podman") && Cmd.exists("conmon"), "podman/conmon not installed (make deps)");
        assumeTrue(Cmd.exists("newuidmap") && Cmd.exists("newgidmap"), "newuidmap/newgidmap (package uidmap) missing");
        user = RootlessUser.ensure();
        dir = Files.createTempDirectory(Path.of("/tmp"), "jrpmrl-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = RootlessUser.install(dir.resolve("jr"));
        runtime = Files.createDirectories(dir.resolve("rt")).resolve("jruntime");
        Files.writeString(runtime, "#!/bin/sh\nexec env " + runtimeEnv() + " " + launcher + " \"$@\"\n");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("jruntime", runtime.getFileName().toString(), "Podman keys runtime_supports_json by file name");
        home = dir.resolve("u");
        Files.createDirectories(home.resolve("tmp"));
        xdg = Files.createDirectories(home.resolve("xdg"));
        daemonDir = xdg.resolve("jruntime-daemon");
        Files.writeString(home.resolve("containers.conf"), PodmanTestBase.containersConf(home, runtime));
        Files.writeString(home.resolve("storage.conf"), """
                [storage]
                driver = "vfs"
                graphroot = "%s/root"
                runroot = "%s/run"
                """.formatted(home, home));
        Path tar = BusyboxImage.rootfsTar(dir);
        user.chown(home);
        user.chown(tar);
        Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("rwx------"));
        podman(120, "import", "--change", "ENV " + BusyboxImage.PATH_ENV, tar.toString(), IMAGE).ok();
        Files.delete(tar);
    }

    @AfterEach
    void removeContainersAndCheckState() throws IOException {
        if (dir == null) {
            return;
        }
        podman(120, "rm", "--all", "--force", "--time", "0");
        Path state = xdg.resolve("jruntime");
        if (Files.isDirectory(state)) {
            try (Stream<Path> s = Files.list(state)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "jruntime state left behind");
            }
        }
        if (runtimeEnv().contains("JRUNTIME_DAEMON=0")) {
            assertFalse(Files.exists(daemonDir), "JRUNTIME_DAEMON=0 starts no per-user daemon");
        }
    }

    @AfterAll
    void tearDown() throws IOException {
        if (dir == null) {
            return;
        }
        try {
            for (String[] removal : new String[][] {{"rm", "--all", "--force", "--time", "0"}, {"rmi", "--all", "--force"}}) {
                podman(120, removal);
            }
        } finally {
            // Podman's pause process (catatonit) keeps the user and mount namespaces alive; its command line does
            // not name our directory, its pid file does.
            Path pause = home.resolve("libpod-tmp/pause.pid");
            if (Files.exists(pause)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pause).strip())).ifPresent(Cmd::killTree);
            }
            for (ProcessHandle p : Cmd.processesWithArg(dir.toString())) {
                Cmd.killTree(p);
            }
            Cmd.removeTree(dir);
        }
        assertEquals(List.of(), Cmd.processesWithArg(dir.toString()), "processes left behind");
        // cgroup v1 hierarchies are root's: neither Podman nor jruntime can create a cgroup for the user there
        // (jruntime warns and goes on); on cgroup v2 with delegation this finds what was left in the user's subtree.
        Cmd.Result cg = Cmd.run(List.of("find", "/sys/fs/cgroup", "-user", Integer.toString(user.uid)), Map.of(), null, 60);
        assertEquals("", cg.stdout().strip(), "cgroups of " + RootlessUser.NAME + " left behind");
    }

    List<String> command(String runtimePath, String... args) {
        List<String> c = new ArrayList<>(user.as(xdg, RootlessUser.NAME));
        c.addAll(List.of("CONTAINERS_CONF=" + home.resolve("containers.conf"),
                "CONTAINERS_STORAGE_CONF=" + home.resolve("storage.conf"), "TMPDIR=" + home.resolve("tmp"),
                "podman", "--root", home + "/root", "--runroot", home + "/run", "--tmpdir", home + "/libpod-tmp",
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                "--runtime", runtimePath));
        c.addAll(List.of(args));
        return c;
    }

    Cmd.Result podman(int timeout, String... args) {
        return Cmd.run(command(runtime.toString(), args), Map.of(), null, timeout);
    }

    Cmd.Result podman(String... args) {
        return podman(90, args);
    }

    Cmd.Result runc(String... args) {
        return Cmd.run(command(RUNC, args), Map.of(), null, 90);
    }

    String name(String what) {
        return "rl-" + what + "-" + suffix;
    }

    String status(String name) {
        return podman("inspect", "--format", "{{.State.Status}}", name).ok().stdout().strip();
    }

    @Test
    void runRmPrintsOutputAndPassesTheExitStatus() {
        Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c",
                "echo hello rootless; id -u; cat /proc/self/uid_map; exit 3");
        assertEquals(3, r.exitCode(), r.toString());
        List<String> lines = r.stdout().lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("hello rootless", "0", "0 " + user.uid + " 1", "1 " + user.subuidStart + " " + user.subuidCount),
                lines, "container root is the user, the rest its subordinate range: " + r);
        assertFalse(r.stderr().contains("level=error"), r.toString());
        assertEquals("", podman("ps", "-aq").ok().stdout().strip());
    }

    @Test
    void detachedExecTtyTopStopRm() throws IOException {
        String n = name("exec");
        podman("run", "-d", "--name", n, "--network", "none", IMAGE, "sleep", "1000").ok();
        assertEquals("running", status(n));
        String id = podman("inspect", "--format", "{{.Id}}", n).ok().stdout().strip();
        // jruntime as root in Podman's user namespace: state under $XDG_RUNTIME_DIR/jruntime, rootless cgroups only
        JsonNode st = Bundle.parse(Files.readString(xdg.resolve("jruntime").resolve(id).resolve("state.json")));
        assertFalse(st.path("rootlessEuid").asBoolean(), st.toString());
        assertTrue(st.path("rootlessCgroups").asBoolean(), st.toString());
        assertEquals(01700, (int) Files.getAttribute(xdg.resolve("jruntime"), "unix:mode") & 07777,
                "sticky and private, as runc leaves $XDG_RUNTIME_DIR/runc (not pruned by the session manager)");
        assertEquals("in exec\n", podman("exec", n, "echo", "in exec").ok().stdout());
        assertEquals(5, podman("exec", n, "sh", "-c", "exit 5").exitCode());
        Cmd.Result tty = Cmd.runInPty(command(runtime.toString(), "exec", "-t", n, "sh", "-c",
                "tty; stty size >/dev/null && echo sized"), Map.of(), null, 90);
        assertEquals(0, tty.exitCode(), tty.toString());
        assertTrue(tty.stdout().contains("/dev/pts/") && tty.stdout().contains("sized"), tty.toString());
        Cmd.Result top = podman("top", n, "pid", "args").ok();
        assertTrue(top.stdout().lines().anyMatch(l -> l.strip().startsWith("1 ") && l.contains("sleep 1000")), top.toString());
        podman("stop", "-t", "1", n).ok();
        assertEquals("exited", status(n));
        podman("rm", n).ok();
        assertFalse(podman("container", "exists", n).exitCode() == 0);
        assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), "state directory removed by delete");
    }

    @Test
    void runInteractiveThroughConsoleSocket() {
        Cmd.Result r = Cmd.runInPty(command(runtime.toString(), "run", "-it", "--rm", "--network", "none", IMAGE, "sh"),
                Map.of(), "tty; echo ok-$((40+2)); exit 3\n", 90);
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("/dev/pts/0") && r.stdout().contains("ok-42"), r.toString());
    }

    @Test
    void killWithSignalAndInspectState() {
        String n = name("kill");
        podman("run", "-d", "--name", n, "--network", "none", IMAGE, "sh", "-c",
                "trap 'echo got-usr1 > /tmp/sig' USR1; touch /tmp/ready; while true; do sleep 0.1; done").ok();
        Cmd.await("trap installed", 30_000, () -> podman("exec", n, "test", "-e", "/tmp/ready").exitCode() == 0);
        assertEquals("running true", podman("inspect", "--format", "{{.State.Status}} {{.State.Running}}", n).ok().stdout().strip());
        podman("kill", "-s", "USR1", n).ok();
        Cmd.await("USR1 handled", 30_000, () -> podman("exec", n, "cat", "/tmp/sig").stdout().contains("got-usr1"));
        podman("kill", "-s", "KILL", n).ok();
        Cmd.await("exited after SIGKILL", 30_000, () -> status(n).equals("exited"));
        assertEquals("137", podman("inspect", "--format", "{{.State.ExitCode}}", n).ok().stdout().strip());
    }

    @Test
    void errorPathsGiveTheSameExitCodesAsRunc() {
        for (String[] c : new String[][] {{"/no/such/program"}, {"/etc/passwd"}, {"sh", "-c", "exec /nonexistent"}}) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none", IMAGE));
            args.addAll(List.of(c));
            Cmd.Result jr = podman(args.toArray(String[]::new));
            Cmd.Result rc = runc(args.toArray(String[]::new));
            assertEquals(rc.exitCode(), jr.exitCode(), "runc: " + rc + "\njruntime: " + jr);
        }
        assertEquals(127, podman("run", "--rm", "--network", "none", IMAGE, "/no/such/program").exitCode());
        assertEquals("", podman("ps", "-aq").ok().stdout().strip());
    }

    @Test
    void keepIdMapsTheUserToItself() {
        Cmd.Result r = podman("run", "--rm", "--network", "none", "--userns=keep-id", IMAGE, "sh", "-c",
                "id -u; id -g; awk '$1 == " + user.uid + "' /proc/self/uid_map").ok();
        List<String> lines = r.stdout().lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of(Integer.toString(user.uid), Integer.toString(user.gid), user.uid + " 0 1"), lines, r.toString());
    }

    @Test
    void boundVolumeOwnedByTheUser() throws IOException {
        Path vol = user.ownedDir(dir.resolve("vol-" + suffix));
        Files.writeString(vol.resolve("in"), "from the host\n");
        user.chown(vol);
        Cmd.Result r = podman("run", "--rm", "--network", "none", "-v", vol + ":/data", IMAGE, "sh", "-c",
                "cat /data/in; stat -c %u /data/in; echo written > /data/out").ok();
        assertEquals(List.of("from the host", "0"), r.stdout().lines().toList(), "the user's file is root's in the container");
        assertEquals("written\n", Files.readString(vol.resolve("out")));
        assertEquals(user.uid, (int) Files.getAttribute(vol.resolve("out"), "unix:uid"), "written as the user on the host");
    }

    /**
     * What rootless Podman does not support on this host fails (or is ignored) exactly as with runc: Podman itself
     * refuses checkpoint, pause and stats; resource limits at create are dropped by Podman with a warning; and
     * `update` reaches the runtime, which cannot create the cgroup and says so.
     */
    @Test
    void unsupportedRootlessOperationsFailAsWithRunc() {
        Cmd.Result mem = podman("run", "--rm", "--network", "none", "--memory", "64m", IMAGE, "true");
        Cmd.Result memRunc = runc("run", "--rm", "--network", "none", "--memory", "64m", IMAGE, "true");
        assertEquals(memRunc.exitCode(), mem.exitCode(), mem + "\n" + memRunc);
        assertTrue(mem.stderr().contains("Resource limits are not supported and ignored on cgroups V1 rootless systems"),
                mem.toString());

        String n = name("unsup");
        String r = name("unsup-runc");
        podman("run", "-d", "--name", n, "--network", "none", IMAGE, "sleep", "1000").ok();
        runc("run", "-d", "--name", r, "--network", "none", IMAGE, "sleep", "1000").ok();
        for (String[] op : new String[][] {{"container", "checkpoint"}, {"pause"}, {"stats", "--no-stream"}}) {
            List<String> a = new ArrayList<>(List.of(op));
            a.add(n);
            Cmd.Result jr = podman(a.toArray(String[]::new));
            a.set(a.size() - 1, r);
            Cmd.Result rc = runc(a.toArray(String[]::new));
            assertEquals(rc.exitCode(), jr.exitCode(), "runc: " + rc + "\njruntime: " + jr);
            assertTrue(jr.exitCode() != 0, jr.toString());
            assertEquals(rc.stderr().replace(r, n).strip(), jr.stderr().strip(), "Podman's own refusal, same words");
        }
        Cmd.Result up = podman("update", "--memory", "64m", n);
        Cmd.Result upRunc = runc("update", "--memory", "64m", r);
        assertEquals(upRunc.exitCode(), up.exitCode(), up + "\n" + upRunc);
        assertTrue(up.stderr().contains("linux.resources.memory.limit") && up.stderr().contains("rootless"),
                "jruntime names the field and the reason: " + up);
        assertEquals("running", status(n), "the container is untouched");
    }
}
