package io.jruntime.cli;

import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.CreateOptions;
import io.jruntime.core.ops.DeleteOptions;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.KillOptions;
import io.jruntime.core.ops.ListOptions;
import io.jruntime.core.ops.OutputFormat;
import io.jruntime.core.ops.PsOptions;
import io.jruntime.core.ops.RunOptions;
import io.jruntime.core.ops.UpdateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go flag-package rules as runc applies them (oci-spec/src/test/resources/reference/engine-contract.md "Parsing rules that follow"). */
class ParsingRulesTest {
    @TempDir
    Path tmp;

    private CliHarness.Result run(String... args) {
        return CliHarness.recording(tmp).run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bundle=/b", "-bundle=/b", "-b=/b", "--b=/b"})
    void valueAttachedWithEquals(String flag) {
        assertEquals(Path.of("/b"), run("create", flag, "c").options(CreateOptions.class).bundle());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bundle", "-bundle", "-b", "--b"})
    void valueAsNextArgument(String flag) {
        assertEquals(Path.of("/b"), run("create", flag, "/b", "c").options(CreateOptions.class).bundle());
    }

    @Test
    void singleDashLongBooleans() {
        RunOptions o = run("run", "-detach", "-no-subreaper", "-keep", "-no-pivot", "-no-new-keyring", "c").options(RunOptions.class);
        assertTrue(o.detach() && o.noSubreaper() && o.keep() && o.create().noPivot() && o.create().noNewKeyring());
    }

    @Test
    void singleDashLongGlobalOptions() {
        GlobalOptions g = run("-log-format=json", "-root", tmp + "/r", "-log", tmp + "/l", "-debug", "-systemd-cgroup",
                "-rootless=true", "-criu=/c", "start", "c").only().global();
        assertEquals(new GlobalOptions(tmp.resolve("r"), tmp.resolve("l"), io.jruntime.core.ops.LogFormat.JSON, true, true,
                "true", "/c"), g);
    }

    @Test
    void repeatedBooleansAreFine() {
        CheckpointOptions o = run("checkpoint", "--leave-running", "--leave-running", "-leave-running", "c")
                .options(CheckpointOptions.class);
        assertTrue(o.leaveRunning());
        assertTrue(run("kill", "-a", "-a", "--all", "c", "9").options(KillOptions.class).all());
    }

    @Test
    void booleanWithExplicitValueLastWins() {
        assertTrue(run("delete", "--force=true", "c").options(DeleteOptions.class).force());
        assertFalse(run("delete", "--force", "--force=false", "c").options(DeleteOptions.class).force());
        assertTrue(run("delete", "-f=1", "c").options(DeleteOptions.class).force());
        assertFalse(run("delete", "-f=F", "c").options(DeleteOptions.class).force());
    }

    @Test
    void booleanWithBadValueIsAUsageError() {
        CliHarness.Result r = run("exec", "-d=maybe", "c", "true");
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("Incorrect Usage: invalid boolean value \"maybe\" for -d: parse error"), r.out());
        assertTrue(r.err().contains("invalid boolean value"), r.err());
    }

    @Test
    void repeatedValueFlagLastWinsAndListsAccumulate() {
        assertEquals(Path.of("/two"), run("create", "-b", "/one", "--bundle=/two", "c").options(CreateOptions.class).bundle());
        ExecOptions o = run("exec", "-e", "A=1", "--env", "B=2", "--env=C=3=x", "-c", "CAP_KILL", "--cap", "CAP_CHOWN",
                "-g", "10", "--additional-gids=20", "c", "true").options(ExecOptions.class);
        assertEquals(List.of("A=1", "B=2", "C=3=x"), o.env());
        assertEquals(List.of("CAP_KILL", "CAP_CHOWN"), o.capabilities());
        assertEquals(List.of(10L, 20L), o.additionalGids());
    }

    @Test
    void resourcesDashMeansStdin() {
        CliHarness.Result r = CliHarness.recording(tmp).stdin("{\"pids\":{\"limit\":5}}").run("update", "--resources", "-", "c");
        assertEquals("{\"pids\":{\"limit\":5}}", r.options(UpdateOptions.class).resourcesJson());
        r = CliHarness.recording(tmp).stdin("{}").run("update", "-r", "-", "c");
        assertEquals("{}", r.options(UpdateOptions.class).resourcesJson());
    }

    @Test
    void execStopsAtTheFirstPositional() {
        ExecOptions o = run("exec", "-t", "c", "sh", "-c", "ls -la", "--tty", "-e", "X=1").options(ExecOptions.class);
        assertEquals("c", o.id());
        assertEquals(List.of("sh", "-c", "ls -la", "--tty", "-e", "X=1"), o.args());
        assertTrue(o.tty());
        assertTrue(o.env().isEmpty());
    }

    @Test
    void execHelpAfterTheIdBelongsToTheProcess() {
        ExecOptions o = run("exec", "c", "grep", "--help").options(ExecOptions.class);
        assertEquals(List.of("grep", "--help"), o.args());
    }

    @Test
    void psArgumentsAfterTheIdGoToPs() {
        assertEquals(List.of("-o", "pid,comm"), run("ps", "c", "-o", "pid,comm").options(PsOptions.class).psArgs());
        assertEquals(List.of("-ef"), run("ps", "c").options(PsOptions.class).psArgs());
    }

    @Test
    void globalFlagsEndAtTheCommandName() {
        CliHarness.Result r = run("--root", tmp.toString(), "state", "--root", "/x", "c");
        assertEquals(1, r.exit(), "runc: global flags after the command are command flags, unknown there");
        assertTrue(r.err().contains("flag provided but not defined: -root"), r.err());
    }

    @Test
    void flagsMayFollowPositionalsOutsideExec() {
        assertTrue(run("delete", "c", "--force").options(DeleteOptions.class).force());
        assertEquals(OutputFormat.JSON, run("list", "--format", "json").options(ListOptions.class).format());
    }

    @Test
    void valueIsTakenEvenIfItLooksLikeAFlag() {
        assertEquals("--tty", run("exec", "--cwd", "--tty", "c", "true").options(ExecOptions.class).cwd());
        assertEquals(Long.valueOf(-1), run("update", "--cpu-quota", "-1", "c").options(UpdateOptions.class).cpuQuota());
    }

    @Test
    void doubleDashEndsFlags() {
        assertEquals("c", run("state", "--", "c").options(io.jruntime.core.ops.StateOptions.class).id());
        assertEquals(List.of("--", "x"), run("exec", "c", "--", "x").options(ExecOptions.class).args().subList(0, 2));
        assertEquals(0, run("--", "list").exit());
    }

    @Test
    void noShortOptionClusters() {
        CliHarness.Result r = run("list", "-qf", "json");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("flag provided but not defined: -qf"), r.err());
        assertTrue(run("exec", "-dt", "c", "true").err().contains("flag provided but not defined: -dt"));
    }

    @Test
    void noAbbreviatedFlagsNoAtFiles() {
        assertEquals(1, run("create", "--bund", "/b", "c").exit());
        ExecOptions o = run("exec", "c", "@args").options(ExecOptions.class);
        assertEquals(List.of("@args"), o.args());
    }

    @Test
    void unknownFlagIsUsageErrorWithRuncsWording() {
        CliHarness.Result r = run("state", "--bogus", "x");
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("Incorrect Usage: flag provided but not defined: -bogus\n\n"), r.out());
        assertTrue(r.out().contains("jruntime state <container-id>"), "the command's help follows");
        assertTrue(r.err().contains("level=error msg=\"flag provided but not defined: -bogus\""), r.err());
        assertTrue(r.calls().isEmpty());
    }

    @Test
    void unknownGlobalFlag() {
        CliHarness.Result r = run("--bogus", "state", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("flag provided but not defined: -bogus"), r.err());
        assertTrue(r.out().contains("[global options]"), "the global help follows");
    }

    @Test
    void missingValue() {
        CliHarness.Result r = run("list", "-f");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("flag needs an argument: -f"), r.err());
        assertTrue(run("--root").err().contains("flag needs an argument: -root"));
    }

    @Test
    void unknownCommandExitsThree() {
        CliHarness.Result r = run("bogus");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("No help topic for 'bogus'"), r.err());
        assertEquals(3, run("help", "bogus").exit());
    }

    @Test
    void argumentCountsWithRuncsWording() {
        CliHarness.Result r = run("state");
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("Incorrect Usage.\n\n"), r.out());
        assertTrue(r.err().contains("\\\"state\\\" requires exactly 1 argument(s)"), r.err());
        assertTrue(run("kill").err().contains("requires a minimum of 1 argument(s)"));
        assertTrue(run("kill", "a", "b", "c").err().contains("requires a maximum of 2 argument(s)"));
        assertTrue(run("exec").err().contains("requires a minimum of 1 argument(s)"));
        assertTrue(run("list", "x").err().contains("requires exactly 0 argument(s)"));
        assertTrue(run("spec", "x").err().contains("requires exactly 0 argument(s)"));
    }

    @Test
    void goIntegerSyntaxForIntFlags() {
        assertEquals(16, run("create", "--preserve-fds", "0x10", "c").options(CreateOptions.class).preserveFds());
        assertEquals(8, run("create", "--preserve-fds", "010", "c").options(CreateOptions.class).preserveFds());
        CliHarness.Result r = run("create", "--preserve-fds", "abc", "c");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("invalid value \\\"abc\\\" for flag -preserve-fds: parse error"), r.err());
    }

    @Test
    void helpFlagsExitZero() {
        for (String h : List.of("--help", "-h", "-help", "--help=true")) {
            CliHarness.Result r = run("kill", h);
            assertEquals(0, r.exit(), h);
            assertTrue(r.out().contains("--all"), r.out());
        }
        assertEquals(0, run().exit());
        assertTrue(run("-h").out().contains("checkpoint"));
        assertEquals(0, run("help", "state").exit());
        assertEquals(0, run("h").exit());
    }

    @Test
    void versionFlagForms() {
        for (String v : List.of("--version", "-v", "-version", "--version=true", "--v")) {
            CliHarness.Result r = run(v, "state", "x");
            assertEquals(0, r.exit(), v);
            assertTrue(r.out().startsWith("jruntime version "), v);
        }
    }

    @Test
    void globalDefaultsAndRoots() {
        GlobalOptions g = run("start", "c").only().global();
        assertEquals(GlobalOptions.defaults().root(), g.root());
        assertNull(g.log());
        assertNull(g.criu());
        assertEquals("auto", g.rootless());
        assertEquals(tmp.resolve("rel"), run("--root", "rel", "start", "c").only().global().root());
    }

    @Test
    void rootInTheInitialNamespaceIgnoresXdgRuntimeDir() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Identity.euid() == 0
                && io.jruntime.core.rootless.RootlessDecision.inInitialUserNamespace(Identity.uidMap()), "root in the initial namespace");
        GlobalOptions g = CliHarness.recording(tmp).xdgRuntimeDir(tmp.resolve("xdg").toString()).run("start", "c").only().global();
        assertEquals(Path.of("/run/jruntime"), g.root());
        assertEquals(tmp.resolve("r"), CliHarness.recording(tmp).xdgRuntimeDir(tmp.resolve("xdg").toString())
                .run("--root", "r", "start", "c").only().global().root());
    }

    @Test
    void badLogFormatIsAnError() {
        CliHarness.Result r = run("--log-format", "yaml", "state", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("invalid log-format: yaml"), r.err());
    }

    @Test
    void rootlessValueIsCheckedOnlyWhenUsed() {
        GlobalOptions g = run("--rootless", "maybe", "start", "c").only().global();
        assertEquals("maybe", g.rootless());
        assertEquals(io.jruntime.core.ops.RootlessMode.TRUE, run("--rootless=1", "start", "c").only().global().rootlessMode());
    }
}
