package io.jruntime.bundles.engines;

import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * conmon 2.1.6 driven directly, the way CRI-O drives it (CRI-O itself is not packaged in Debian 12): conmon
 * runs `jruntime create` (with `--runtime-arg` global flags), the "engine" runs `jruntime start`, conmon
 * runs `jruntime exec` for exec sessions, and reports exit codes in its exit directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConmonIT {
    static final String LOOP = "i=0; while true; do echo tick $i; echo $i > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; i=$((i+1)); sleep 0.2; done";

    Path dir;
    Path runtime;
    Jruntime jr;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Cmd.exists("conmon"), "conmon not installed (make deps)");
        runtime = Jruntime.defaultBinary();
        dir = Files.createTempDirectory(Path.of("/tmp"), "jrcm-");
        jr = new Jruntime(runtime, dir.resolve("state"));
        for (String d : List.of("exits", "exec-exits", "sock")) {
            Files.createDirectories(dir.resolve(d));
        }
    }

    @AfterEach
    void tearDown() {
        if (dir == null) {
            return;
        }
        try {
            if (Files.isDirectory(jr.root())) {
                for (String id : jr.run("list", "-q").stdout().split("\n")) {
                    if (!id.isBlank()) {
                        jr.run("delete", "--force", id.strip());
                    }
                }
            }
        } finally {
            for (ProcessHandle p : Cmd.processesWithArg(dir.toString())) {
                Cmd.killTree(p);
            }
            Cmd.removeTree(dir);
        }
    }

    /** conmon's arguments common to create and exec (as CRI-O's oci.go builds them). */
    List<String> conmon(String id, String uuid, String... rest) {
        List<String> c = new ArrayList<>(List.of("conmon", "--api-version", "1", "-b", dir.resolve("bundle").toString(),
                "-c", id, "-u", uuid, "-n", id, "-r", runtime.toString(), "--runtime-arg", "--root=" + jr.root(),
                "--socket-dir-path", dir.resolve("sock").toString(), "--log-level", "debug"));
        c.addAll(List.of(rest));
        return c;
    }

    String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** conmon create (it daemonizes, as under CRI-O), then `jruntime start` as CRI-O does. */
    void createAndStart(String id) {
        Bundle.create(dir.resolve("bundle"), jr, "sh", "-c", LOOP);
        Path pidFile = dir.resolve("ctr.pid");
        Cmd.run(conmon(id, id, "-p", pidFile.toString(), "-P", dir.resolve("conmon.pid").toString(),
                "-l", "k8s-file:" + dir.resolve("ctr.log"), "--exit-dir", dir.resolve("exits").toString()), Map.of(), null, 30).ok();
        Cmd.await("container pid file", 30_000, () -> !read(pidFile).isBlank());
        String state = jr.run("state", id).assertOk().stdout();
        assertTrue(state.contains("\"created\""), state);
        assertTrue(state.contains("\"pid\": " + read(pidFile).strip()) || state.contains("\"pid\":" + read(pidFile).strip()), state);
        jr.run("start", id).assertOk();
        Cmd.await("container output in conmon's log", 20_000, () -> read(dir.resolve("ctr.log")).contains("stdout F tick 2"));
    }

    @Test
    void createStartExecKill() throws IOException {
        createAndStart("cm-basic");
        Path proc = dir.resolve("process.json");
        Files.writeString(proc, """
                {"terminal":false,"user":{"uid":0,"gid":0},"cwd":"/","env":["%s"],
                 "args":["sh","-c","echo from exec $(cat /tmp/counter); exit 7"]}""".formatted(BusyboxImage.PATH_ENV));
        Cmd.Result exec = Cmd.run(conmon("cm-basic", "exec-1", "-p", dir.resolve("exec.pid").toString(),
                "-l", "k8s-file:" + dir.resolve("exec.log"), "--exit-dir", dir.resolve("exec-exits").toString(),
                "-e", "--exec-process-spec", proc.toString(), "--sync"), Map.of(), null, 60);
        assertEquals(7, exec.exitCode(), exec.toString());
        assertTrue(read(dir.resolve("exec.log")).contains("stdout F from exec "), read(dir.resolve("exec.log")));

        jr.run("kill", "cm-basic", "9").assertOk();
        Path exit = dir.resolve("exits/cm-basic");
        Cmd.await("conmon's exit file", 20_000, () -> !read(exit).isBlank());
        assertEquals("137", read(exit).strip());
        jr.run("delete", "cm-basic").assertOk();
        assertTrue(jr.run("state", "cm-basic").stderr().contains("does not exist"));
    }

    /** CRI-O's restore: the runtime checkpoints, the container is deleted, conmon `--restore` runs `jruntime restore`. */
    @Test
    void checkpointThenRestoreThroughConmon() throws IOException {
        createAndStart("cm-cr");
        Path counter = dir.resolve("bundle/rootfs/tmp/counter");
        Cmd.await("counter >= 5", 20_000, () -> read(counter).strip().matches("\\d+") && Integer.parseInt(read(counter).strip()) >= 5);
        Path images = dir.resolve("checkpoint");
        jr.run(null, 120, "checkpoint", "--image-path", images.toString(), "--work-path", dir.resolve("cp-work").toString(), "cm-cr")
                .assertOk();
        assertTrue(Files.isRegularFile(images.resolve("inventory.img")));
        Path exit = dir.resolve("exits/cm-cr");
        Cmd.await("conmon noticed the checkpointed container exit", 20_000, () -> !read(exit).isBlank());
        String dumped = read(counter).strip();
        jr.run("delete", "--force", "cm-cr").assertOk();
        Files.delete(exit);
        Files.deleteIfExists(dir.resolve("ctr.pid"));

        Path pidFile = dir.resolve("ctr.pid");
        Cmd.run(conmon("cm-cr", "cm-cr", "-p", pidFile.toString(), "-P", dir.resolve("conmon2.pid").toString(),
                "-l", "k8s-file:" + dir.resolve("ctr2.log"), "--exit-dir", dir.resolve("exits").toString(),
                "--restore", images.toString(), "--runtime-opt", "--tcp-established"), Map.of(), null, 60).ok();
        Cmd.await("restored container pid file", 60_000, () -> !read(pidFile).isBlank());
        assertEquals("running", Bundle.parse(jr.run("state", "cm-cr").assertOk().stdout()).path("status").asText());
        Cmd.await("restored counter continues from " + dumped, 20_000, () -> {
            String now = read(counter).strip();
            return now.matches("\\d+") && Integer.parseInt(now) > Integer.parseInt(dumped);
        });
        Cmd.await("restored output in conmon's new log", 20_000, () -> read(dir.resolve("ctr2.log")).contains("stdout F tick"));
        String log = read(dir.resolve("ctr2.log"));
        assertTrue(!log.contains("stdout F tick 0\n"), "restarted instead of restored: " + log);
        jr.run("kill", "cm-cr", "9").assertOk();
        Cmd.await("conmon's exit file after restore", 20_000, () -> !read(exit).isBlank());
    }

    @Test
    void execFailureIsReported() throws IOException {
        createAndStart("cm-fail");
        Path proc = dir.resolve("process.json");
        Files.writeString(proc, """
                {"terminal":false,"user":{"uid":0,"gid":0},"cwd":"/","env":["%s"],"args":["/no/such/program"]}"""
                .formatted(BusyboxImage.PATH_ENV));
        Cmd.Result exec = Cmd.run(conmon("cm-fail", "exec-1", "-p", dir.resolve("exec.pid").toString(),
                "-l", "k8s-file:" + dir.resolve("exec.log"), "--exit-dir", dir.resolve("exec-exits").toString(),
                "-e", "--exec-process-spec", proc.toString(), "--sync"), Map.of(), null, 60);
        assertTrue(exec.exitCode() != 0, exec.toString());
        assertEquals("running", Bundle.parse(jr.run("state", "cm-fail").assertOk().stdout()).path("status").asText());
    }
}
