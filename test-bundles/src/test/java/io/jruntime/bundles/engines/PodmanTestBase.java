package io.jruntime.bundles.engines;

import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fixture for Podman 4.3 (with conmon) driving bin/jruntime through `--runtime`. Everything Podman keeps lives in one
 * test-owned directory: storage (vfs driver), run root, tmp dir, events log, containers.conf (listing jruntime
 * in runtime_supports_json, with ulimits this VM allows) and jruntime's own state root (`--runtime-flag root=`).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class PodmanTestBase {
    static final String IMAGE = "localhost/busybox:latest";
    static final String LOOP = "i=0; while true; do echo $i > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; i=$((i+1)); sleep 0.2; done";

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
}
