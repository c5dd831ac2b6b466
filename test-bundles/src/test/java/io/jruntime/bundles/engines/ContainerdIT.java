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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * containerd 1.6 (containerd-shim-runc-v2) driving bin/jruntime through `ctr run --runc-binary`. The test starts
 * its own containerd with its own root, state, sockets and namespace; jruntime's state lives in a test-owned
 * `--runc-root`. Everything is torn down after the class, pass or fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ContainerdIT {
    static final String IMAGE = "localhost/busybox:latest";
    static final String LOOP = "i=0; while true; do echo $i > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; i=$((i+1)); sleep 0.2; done";

    Path dir;
    Path runtime;
    Process containerd;
    String namespace;

    @BeforeAll
    void setUp() throws IOException {
        assumeTrue(Cmd.exists("containerd") && Cmd.exists("ctr") && Cmd.exists("containerd-shim-runc-v2"),
                "containerd not installed (make deps)");
        runtime = Jruntime.defaultBinary();
        dir = Files.createTempDirectory(Path.of("/tmp"), "jrcd-");
        namespace = "jrt-" + dir.getFileName().toString().substring(5).toLowerCase().replaceAll("[^a-z0-9]", "");
        Files.writeString(dir.resolve("config.toml"), config(dir));
        containerd = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        Cmd.await("containerd socket", 30_000, () -> Files.exists(dir.resolve("containerd.sock"))
                && ctr(10, "version").exitCode() == 0);
        Path archive = BusyboxImage.ociArchive(dir, IMAGE);
        ctr(120, "image", "import", archive.toString()).ok();
        Files.delete(archive);
        assertTrue(ctr(30, "image", "ls", "-q").ok().stdout().contains(IMAGE));
    }

    /** The containerd config documented in docs/ENGINES.md (CRI plugin off: ctr does not need it). */
    static String config(Path dir) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%1$s/containerd.sock"
                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"
                """.formatted(dir);
    }

    @AfterEach
    void removeContainers() {
        if (containerd == null || !containerd.isAlive()) {
            return;
        }
        for (String id : ctr(30, "task", "ls", "-q").stdout().split("\n")) {
            if (!id.isBlank()) {
                ctr(30, "task", "kill", "-s", "SIGKILL", id.strip());
                Cmd.await("task " + id + " stopped", 20_000, () -> !ctr(30, "task", "ls").stdout().contains(id.strip() + " ")
                        || ctr(30, "task", "ls").stdout().matches("(?s).*" + id.strip() + "\\s+\\d+\\s+STOPPED.*"));
                ctr(30, "task", "delete", id.strip());
            }
        }
        for (String id : ctr(30, "container", "ls", "-q").stdout().split("\n")) {
            if (!id.isBlank()) {
                ctr(30, "container", "delete", id.strip());
            }
        }
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        if (dir == null) {
            return;
        }
        try {
            if (containerd != null && containerd.isAlive()) {
                removeContainers();
                for (String ref : ctr(30, "image", "ls", "-q").stdout().split("\n")) {
                    if (!ref.isBlank()) {
                        ctr(30, "image", "rm", ref.strip());
                    }
                }
                ctr(30, "namespace", "rm", namespace);
                containerd.destroy();
                if (!containerd.waitFor(15, TimeUnit.SECONDS)) {
                    Cmd.killTree(containerd.toHandle());
                }
            }
        } finally {
            for (ProcessHandle p : Cmd.processesWithArg(dir.toString())) {
                Cmd.killTree(p);
            }
            Cmd.removeTree(dir);
        }
    }

    Cmd.Result ctr(int timeout, String... args) {
        return Cmd.run(ctrCommand(args), Map.of(), null, timeout);
    }

    Cmd.Result ctr(String... args) {
        return ctr(60, args);
    }

    List<String> ctrCommand(String... args) {
        List<String> c = new ArrayList<>(List.of("ctr", "--address", dir + "/containerd.sock", "--namespace", namespace));
        c.addAll(List.of(args));
        return c;
    }

    /** `ctr run` options that make the runc shim call jruntime with a test-owned state root. */
    List<String> runWith(String... rest) {
        List<String> c = new ArrayList<>(List.of("run", "--runc-binary", runtime.toString(), "--runc-root", dir + "/jruntime-state"));
        c.addAll(List.of(rest));
        return c;
    }

    String taskStatus(String id) {
        for (String line : ctr("task", "ls").ok().stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals(id)) {
                return f[2];
            }
        }
        return "";
    }

    int counter(String id, String execId) {
        for (int attempt = 0; ; attempt++) {
            String s = ctr("task", "exec", "--exec-id", execId + "-" + attempt, id, "cat", "/tmp/counter").ok().stdout().strip();
            if (s.matches("\\d+") || attempt == 20) {
                return Integer.parseInt(s);
            }
        }
    }

    void startLoop(String id) {
        ctr(runWith("-d", IMAGE, id, "sh", "-c", LOOP).toArray(String[]::new)).ok();
        Cmd.await(id + " counter", 20_000,
                () -> ctr("task", "exec", "--exec-id", "probe", id, "test", "-s", "/tmp/counter").exitCode() == 0);
    }

    @Test
    void runInForeground() {
        Cmd.Result r = ctr(runWith("--rm", IMAGE, "cd-run", "sh", "-c", "echo hello from jruntime; exit 3").toArray(String[]::new));
        assertEquals("hello from jruntime\n", r.stdout().replace("\r", ""), r.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("", ctr("container", "ls", "-q").ok().stdout().strip());
    }

    @Test
    void detachedExecPsPauseKillDelete() {
        startLoop("cd-exec");
        assertEquals("RUNNING", taskStatus("cd-exec"));
        assertEquals("in exec\n", ctr("task", "exec", "--exec-id", "e1", "cd-exec", "echo", "in exec").ok().stdout());
        assertEquals(4, ctr("task", "exec", "--exec-id", "e2", "cd-exec", "sh", "-c", "exit 4").exitCode());
        Cmd.Result ps = ctr("task", "ps", "cd-exec").ok();
        assertTrue(ps.stdout().lines().count() >= 2, ps.toString());
        ctr("task", "pause", "cd-exec").ok();
        assertEquals("PAUSED", taskStatus("cd-exec"));
        ctr("task", "resume", "cd-exec").ok();
        assertEquals("RUNNING", taskStatus("cd-exec"));
        int before = counter("cd-exec", "e3");
        Cmd.await("counter moving", 10_000, () -> counter("cd-exec", "e4") > before);
        ctr("task", "kill", "-s", "SIGKILL", "cd-exec").ok();
        Cmd.await("task stopped", 20_000, () -> taskStatus("cd-exec").equals("STOPPED"));
        Cmd.Result del = ctr("task", "delete", "cd-exec").ok();
        assertTrue(del.stdout().contains("137") || del.stderr().contains("137"), del.toString());
        ctr("container", "delete", "cd-exec").ok();
        assertEquals("", ctr("container", "ls", "-q").ok().stdout().strip());
    }

    /**
     * `ctr task checkpoint` and `ctr container checkpoint --task` (containerd pauses, runs `jruntime checkpoint`,
     * resumes), then `ctr container restore --live` into a new container: the shim calls
     * `jruntime restore ... -no-subreaper ...` (single-dash option). The restored process must be the dumped one.
     */
    @Test
    void checkpointAndRestoreLive() {
        String loop = "tok=$$-$(date +%s%N); i=0; while true; do echo \"$tok $i\" > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; i=$((i+1)); sleep 0.1; done";
        ctr(runWith("-d", IMAGE, "cd-cr", "sh", "-c", loop).toArray(String[]::new)).ok();
        Cmd.await("counter >= 5", 20_000, () -> {
            String[] c = tokenCount("cd-cr");
            return c != null && Integer.parseInt(c[1]) >= 5;
        });
        // Written by rename, so a read never sees a truncated file (a plain `>` did, and left `before` null).
        String[] before = tokenCount("cd-cr");
        assertNotNull(before, "counter readable");
        // The task checkpoint (what `ctr task checkpoint` and the CRI do): pause, jruntime checkpoint, resume.
        Cmd.Result cp = ctr(120, "task", "checkpoint", "cd-cr").ok();
        assertTrue(cp.stdout().contains("checkpoint/cd-cr"), cp.toString());
        assertEquals("RUNNING", taskStatus("cd-cr"), "task checkpoint without --exit leaves the task running");
        ctr("image", "rm", cp.stdout().strip());
        // ctr 1.6 can only restore from a container checkpoint (its index names the image); it runs the same
        // pause / jruntime checkpoint / resume for the task part.
        String ref = "localhost/checkpoint/cd-cr:1";
        ctr(120, "container", "checkpoint", "--task", "cd-cr", ref).ok();
        assertEquals("RUNNING", taskStatus("cd-cr"));
        ctr("task", "kill", "-s", "SIGKILL", "cd-cr").ok();
        Cmd.await("original stopped", 20_000, () -> taskStatus("cd-cr").equals("STOPPED"));
        ctr("task", "delete", "cd-cr").ok();

        ctr(120, "container", "restore", "--live", "cd-cr2", ref).ok();
        Cmd.await("restored task running", 30_000, () -> taskStatus("cd-cr2").equals("RUNNING"));
        Cmd.await("restored counter written", 20_000, () -> tokenCount("cd-cr2") != null);
        String[] after = tokenCount("cd-cr2");
        String state = new Jruntime(runtime, dir.resolve("jruntime-state").resolve(namespace)).run("state", "cd-cr2").assertOk().stdout();
        assertTrue(state.contains("\"running\""), "restored by jruntime (runc binary and root kept in the checkpoint): " + state);
        assertEquals(before[0], after[0], "the restored process is the checkpointed one (same start token)");
        assertTrue(Integer.parseInt(after[1]) >= Integer.parseInt(before[1]), "counter continued: " + before[1] + " -> " + after[1]);
        ctr("image", "rm", ref);
    }

    /** {token, count} from /tmp/counter, or null while it is missing or half-written. */
    String[] tokenCount(String id) {
        Cmd.Result r = ctr("task", "exec", "--exec-id", "t" + System.nanoTime(), id, "cat", "/tmp/counter");
        String[] f = r.stdout().strip().split(" ");
        return r.exitCode() == 0 && f.length == 2 && f[1].matches("\\d+") ? f : null;
    }
}
