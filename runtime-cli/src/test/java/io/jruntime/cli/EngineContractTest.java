package io.jruntime.cli;

import io.jruntime.core.Signals;
import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.CreateOptions;
import io.jruntime.core.ops.DeleteOptions;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.KillOptions;
import io.jruntime.core.ops.LogFormat;
import io.jruntime.core.ops.OutputFormat;
import io.jruntime.core.ops.PauseOptions;
import io.jruntime.core.ops.PsOptions;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.ops.ResumeOptions;
import io.jruntime.core.ops.StartOptions;
import io.jruntime.core.ops.StateOptions;
import io.jruntime.core.ops.UpdateOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every argv form in oci-spec/src/test/resources/reference/engine-contract.md parses into the right options record. */
class EngineContractTest {
    @TempDir
    Path tmp;
    Path ud;
    String id = "5f1c0a7e9d2b";

    @BeforeEach
    void setUp() throws IOException {
        ud = Files.createDirectories(tmp.resolve("userdata"));
    }

    /** The contract this test encodes, and docs/ENGINES.md's link to it, are inside the repository. */
    @Test
    void theRecordedContractIsInTheRepository() throws IOException {
        Path top = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(top.resolve("oci-spec/src/test/resources/reference/engine-contract.md")));
        String engines = Files.readString(top.resolve("docs/ENGINES.md"));
        assertTrue(engines.contains("](../oci-spec/src/test/resources/reference/engine-contract.md)"));
        assertFalse(engines.contains("/work/"), "docs/ENGINES.md names a path outside the repository");
    }

    /** Podman's G: --log-format=json --log <userdata>/oci-log. */
    private String[] podman(String... rest) {
        List<String> a = new ArrayList<>(List.of("--log-format=json", "--log", ud + "/oci-log"));
        a.addAll(Arrays.asList(rest));
        return a.toArray(new String[0]);
    }

    /** containerd's prefix: --root <root>/<ns> --log <bundle>/log.json --log-format json [--criu P] [--systemd-cgroup]. */
    private String[] containerd(String... rest) {
        List<String> a = new ArrayList<>(List.of("--root", tmp + "/state/default", "--log", ud + "/log.json",
                "--log-format", "json", "--criu", "/usr/sbin/criu", "--systemd-cgroup"));
        a.addAll(Arrays.asList(rest));
        return a.toArray(new String[0]);
    }

    private CliHarness.Result run(String... args) {
        return CliHarness.recording(tmp).run(args);
    }

    @Test
    void podmanCreateWithEveryFlag() {
        CliHarness.Result r = run(podman("create", "--bundle", ud.toString(), "--pid-file", ud + "/pidfile", "--no-pivot",
                "--no-new-keyring", "--preserve-fds", "2", "--console-socket", "/run/console.sock", id));
        assertEquals(0, r.exit(), r.err());
        assertEquals("create", r.only().method());
        CreateOptions o = r.options(CreateOptions.class);
        assertEquals(new CreateOptions(id, ud, Path.of("/run/console.sock"), ud.resolve("pidfile"), true, true, 2), o);
        GlobalOptions g = r.only().global();
        assertEquals(LogFormat.JSON, g.logFormat());
        assertEquals(ud.resolve("oci-log"), g.log());
        assertEquals(Path.of("/run/jruntime"), g.root());
        assertTrue(Files.exists(ud.resolve("oci-log")), "the --log file is opened (created) like runc does");
    }

    @Test
    void podmanCreateMinimal() {
        CreateOptions o = run(podman("create", "--bundle", ud.toString(), "--pid-file", ud + "/pidfile", id))
                .options(CreateOptions.class);
        assertEquals(new CreateOptions(id, ud, null, ud.resolve("pidfile"), false, false, 0), o);
    }

    @Test
    void podmanStartKillStopDelete() {
        assertEquals(new StartOptions(id), run("start", id).options(StartOptions.class));
        assertEquals(new KillOptions(id, 15, false), run("kill", id, "15").options(KillOptions.class));
        assertEquals(new KillOptions(id, 9, false), run("kill", id, "9").options(KillOptions.class));
        assertEquals(new KillOptions(id, 9, true), run("kill", "--all", id, "9").options(KillOptions.class));
        assertEquals(new DeleteOptions(id, true), run("delete", "--force", id).options(DeleteOptions.class));
    }

    @Test
    void podmanExecDetachedWithTerminal() {
        CliHarness.Result r = run(podman("exec", "--pid-file", ud + "/exec_pid", "--process", ud + "/exec-process.json",
                "--detach", "--tty", "--console-socket", ud + "/exec.sock", id));
        assertEquals(0, r.exit(), r.err());
        ExecOptions o = r.options(ExecOptions.class);
        assertEquals(id, o.id());
        assertEquals(ud.resolve("exec-process.json"), o.process());
        assertEquals(ud.resolve("exec_pid"), o.pidFile());
        assertEquals(Path.of(ud + "/exec.sock"), o.consoleSocket());
        assertTrue(o.detach());
        assertTrue(o.tty());
        assertTrue(o.args().isEmpty());
    }

    @Test
    void podmanExecWithoutTerminal() {
        ExecOptions o = run(podman("exec", "--pid-file", ud + "/exec_pid", "--process", ud + "/p.json", "--detach", id))
                .options(ExecOptions.class);
        assertFalse(o.tty());
        assertNull(o.consoleSocket());
    }

    @Test
    void podmanPauseResumeStateUpdate() throws IOException {
        assertEquals(new PauseOptions(id), run("pause", id).options(PauseOptions.class));
        assertEquals(new ResumeOptions(id), run("resume", id).options(ResumeOptions.class));
        assertEquals(new StateOptions(id), run("state", id).options(StateOptions.class));
        String json = "{\"memory\":{\"limit\":268435456,\"swap\":536870912},\"cpu\":{\"shares\":512}}";
        Files.writeString(ud.resolve("resources.json"), json);
        UpdateOptions u = run("update", "--resources=" + ud + "/resources.json", id).options(UpdateOptions.class);
        assertEquals(json, u.resourcesJson());
        assertEquals(id, u.id());
        assertNull(u.memory());
    }

    @Test
    void podmanVersion() {
        CliHarness.Result r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("jruntime version 0.1.0\n"), r.out());
        assertTrue(r.out().contains("\nspec: 1.2.0\n"), r.out());
        assertTrue(r.calls().isEmpty());
    }

    @Test
    void podmanCheckpointProbeAndCheckpoints() {
        CliHarness.Result help = run("checkpoint", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--leave-running"), help.out());

        CheckpointOptions c = run("checkpoint", "--image-path", ud + "/checkpoint", "--work-path", ud.toString(),
                "--leave-running", "--tcp-established", "--file-locks", "--leave-running", id).options(CheckpointOptions.class);
        assertEquals(new CheckpointOptions(id, ud.resolve("checkpoint"), ud, null, true, true, false, false, false, -1,
                null, true, false, null, List.of(), false), c);

        CheckpointOptions pre = run("checkpoint", "--image-path", ud + "/pre-checkpoint", "--work-path", ud.toString(),
                "--pre-dump", id).options(CheckpointOptions.class);
        assertTrue(pre.preDump());
        assertEquals(ud.resolve("pre-checkpoint"), pre.imagePath());

        CheckpointOptions after = run("checkpoint", "--image-path", ud + "/checkpoint", "--work-path", ud.toString(),
                "--parent-path", "../pre-checkpoint", id).options(CheckpointOptions.class);
        assertEquals("../pre-checkpoint", after.parentPath());
    }

    @Test
    void podmanRestore() {
        CliHarness.Result r = run(podman("restore", "--bundle", ud.toString(), "--pid-file", ud + "/pidfile", "--no-pivot",
                "--no-new-keyring", "--detach", "--image-path", ud + "/checkpoint", "--work-path", ud.toString(),
                "--tcp-established", "--file-locks", "--lsm-mount-context=system_u:object_r:container_file_t:s0:c1,c2",
                "--lsm-profile=selinux:system_u:system_r:container_t:s0:c1,c2", "--console-socket", "/run/c.sock", id));
        assertEquals(0, r.exit(), r.err());
        RestoreOptions o = r.options(RestoreOptions.class);
        assertEquals(new RestoreOptions(id, ud, Path.of("/run/c.sock"), ud.resolve("checkpoint"), ud, true, false, false,
                true, null, true, ud.resolve("pidfile"), false, true, true, List.of(), false, false,
                "selinux:system_u:system_r:container_t:s0:c1,c2", "system_u:object_r:container_file_t:s0:c1,c2"), o);
    }

    @Test
    void podmanPodRestoreProbe() {
        CliHarness.Result r = run("restore", "--lsm-mount-context");
        assertEquals(1, r.exit());
        assertTrue((r.out() + r.err()).contains("flag needs an argument"), r.out() + r.err());
        assertTrue(r.calls().isEmpty());
    }

    @Test
    void podmanRuntimeFlagIsAGlobalFlag() {
        CliHarness.Result r = run("--systemd-cgroup", "kill", id, "9");
        assertTrue(r.only().global().systemdCgroup());
    }

    @Test
    void containerdGlobalPrefix() {
        GlobalOptions g = run(containerd("start", id)).only().global();
        assertEquals(new GlobalOptions(tmp.resolve("state/default"), ud.resolve("log.json"), LogFormat.JSON, false, true,
                "auto", "/usr/sbin/criu"), g);
    }

    @Test
    void containerdCreate() {
        CreateOptions o = run(containerd("create", "--bundle", ud.toString(), "--pid-file", ud + "/init.pid",
                "--console-socket", "/tmp/pty.sock", "--no-pivot", "--no-new-keyring", id)).options(CreateOptions.class);
        assertEquals(new CreateOptions(id, ud, Path.of("/tmp/pty.sock"), ud.resolve("init.pid"), true, true, 0), o);
    }

    @Test
    void containerdExec() {
        ExecOptions o = run(containerd("exec", "--process", ud + "/process.json", "--console-socket", "/tmp/e.sock",
                "--detach", "--pid-file", ud + "/exec.pid", id)).options(ExecOptions.class);
        assertEquals(ud.resolve("process.json"), o.process());
        assertTrue(o.detach());
        assertFalse(o.tty(), "containerd puts terminal in the process JSON, not --tty");
        assertEquals(ud.resolve("exec.pid"), o.pidFile());
    }

    @Test
    void containerdPsPauseResumeKillDelete() {
        assertEquals(new PsOptions(id, OutputFormat.JSON, List.of("-ef")),
                run(containerd("ps", "--format", "json", id)).options(PsOptions.class));
        assertEquals(new PauseOptions(id), run(containerd("pause", id)).options(PauseOptions.class));
        assertEquals(new ResumeOptions(id), run(containerd("resume", id)).options(ResumeOptions.class));
        assertEquals(new KillOptions(id, Signals.SIGKILL, true), run(containerd("kill", "--all", id, "9")).options(KillOptions.class));
        assertEquals(new KillOptions(id, 15, false), run(containerd("kill", id, "15")).options(KillOptions.class));
        assertEquals(new DeleteOptions(id, false), run(containerd("delete", id)).options(DeleteOptions.class));
        assertEquals(new DeleteOptions(id, true), run(containerd("delete", "--force", id)).options(DeleteOptions.class));
    }

    @Test
    void containerdCheckpoint() {
        CheckpointOptions o = run(containerd("checkpoint", "--image-path", ud + "/image", "--work-path", ud + "/work",
                "--file-locks", "--leave-running", id)).options(CheckpointOptions.class);
        assertEquals(ud.resolve("image"), o.imagePath());
        assertEquals(ud.resolve("work"), o.workPath());
        assertTrue(o.fileLocks());
        assertTrue(o.leaveRunning());
    }

    @Test
    void containerdRestoreWithSingleDashLongOption() {
        RestoreOptions o = run(containerd("restore", "--image-path", ud + "/image", "--work-path", ud + "/work", "--detach",
                "--pid-file", ud + "/init.pid", "-no-subreaper", "--bundle", ud.toString(), id)).options(RestoreOptions.class);
        assertTrue(o.noSubreaper());
        assertTrue(o.detach());
        assertEquals(ud, o.bundle());
        assertEquals(ud.resolve("init.pid"), o.pidFile());
        assertEquals(ud.resolve("image"), o.imagePath());
    }

    @Test
    void containerdUpdateFromStdin() {
        String json = "{\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000}}";
        CliHarness.Result r = CliHarness.recording(tmp).stdin(json).run(containerd("update", "--resources", "-", id));
        assertEquals(0, r.exit(), r.err());
        assertEquals(json, r.options(UpdateOptions.class).resourcesJson());
    }
}
