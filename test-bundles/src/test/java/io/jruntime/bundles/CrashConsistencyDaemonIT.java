package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon path of docs/RELIABILITY.md: a create or restore served by `jruntime daemon`, with the daemon stopped
 * dead at each named step (the test-only fault injection switch, armed inside the daemon process) or killed with
 * SIGKILL. Whatever step it died at: bin/jruntime, the daemon's client, ends (no hang) with one error line and a
 * non-zero status; {@code state}/{@code list} tell the truth; {@code delete -f} exits 0 and leaves no process, mount,
 * cgroup directory, fifo or state file of the id; the id can be created again; and a hook the daemon was running
 * dies with it instead of running on as an orphan.
 *
 * <p>Each daemon listens on a socket of the test's own (never /run/jruntime-daemon) and is this JVM's child, so
 * its exit status shows that it halted where it was armed. Run the class inside {@code unshare -m --propagation
 * private} with a tmpfs on /run/jruntime-daemon, as every daemon test (COMMON rules of this repository).
 */
class CrashConsistencyDaemonIT extends CrashTestBase {
    /** What bin/jruntime prints when the daemon dies under a command it had accepted (launcher.c, daemon_lost). */
    private static final String LOST = "the jruntime daemon running this command went away";
    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stopDaemons() throws InterruptedException {
        for (Process d : daemons) {
            d.destroyForcibly();
            d.waitFor(60, TimeUnit.SECONDS);
        }
    }

    // ---- fault injection inside the daemon ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"daemon.after-fds", "create.after-state-dir", "create.after-intent", "create.after-cgroups",
            "create.after-helper-spawned", "create.after-ready", "create.hook-started", "create.before-state-json",
            "create.after-state-json", "daemon.before-exit-status"})
    void createServedByADaemonThatDiesMidwayIsCleanedByDelete(String point) throws Exception {
        Bundle b = withBlockingHook(bundle("b", "sleep", "1000"));
        String id = uid();
        blockHooks(point.endsWith(".hook-started"));
        Process daemon = startDaemon(point);
        Jruntime.Result r = throughDaemon("create", "--bundle", b.dir().toString(), id);
        assertHaltedAndReported(daemon, point, r);
        assertRecordedHookDied(id, point);
        blockHooks(false);
        switch (point) {
            case "daemon.after-fds", "create.after-state-dir" -> {
                // nothing recorded (at most the empty directory): no container
                assertNotEquals(0, jr.run("state", id).exitCode());
                assertFalse(listed(id));
            }
            case "create.after-state-json", "daemon.before-exit-status" -> {
                // the record is complete: created with a live init, or stopped if the init took the lost
                // confirmation as an abort; the record says which
                String st = status(id);
                if (point.equals("daemon.before-exit-status")) {
                    assertEquals("created", st, "the create was done; only its exit status was lost");
                }
                assertTrue(Set.of("created", "stopped").contains(st), st);
                JsonNode state = Bundle.parse(jr.run("state", id).assertOk().stdout());
                assertEquals(st.equals("created"), alive(state.path("pid").asInt()), "status agrees with the init: " + state);
                assertTrue(listed(id));
            }
            default -> {
                assertEquals("stopped", status(id), "a create whose daemon died is stopped (it can never start)");
                assertTrue(listed(id), "list shows the half-made container");
                assertNotEquals(0, jr.run("start", id).exitCode(), "a half-made container cannot be started");
            }
        }
        deleteLeavesNothing(id);
        createAgainWorks(b, id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"restore.after-state-dir", "restore.after-intent", "restore.after-cgroups",
            "restore.before-criu", "restore.after-helper-spawned", "restore.hook-started", "restore.after-criu",
            "restore.before-state-json", "daemon.before-exit-status"})
    void restoreServedByADaemonThatDiesMidwayIsCleanedByDelete(String point) throws Exception {
        Bundle b = withBlockingHook(bundle("b", "sh", "-c", "while :; do sleep 1; done"));
        String id = uid();
        Path images = work.resolve("images");
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id).assertOk();
        jr.run(null, 120, "checkpoint", "--image-path", images.toString(), id).assertOk();
        assertTrue(jr.run("state", id).stderr().contains("does not exist"), "checkpoint removed the container");

        blockHooks(point.endsWith(".hook-started"));
        Process daemon = startDaemon(point);
        Jruntime.Result r = throughDaemon("restore", "--detach", "--image-path", images.toString(), "--bundle",
                b.dir().toString(), id);
        assertHaltedAndReported(daemon, point, r);
        assertRecordedHookDied(id, point);
        blockHooks(false);
        if (point.equals("restore.after-state-dir")) {
            assertNotEquals(0, jr.run("state", id).exitCode());
            assertFalse(listed(id));
        } else if (point.equals("daemon.before-exit-status")) {
            assertEquals("running", status(id), "the restore was done; only its exit status was lost");
        } else {
            assertEquals("stopped", status(id), "a restore whose daemon died is stopped");
            assertTrue(listed(id));
        }
        deleteLeavesNothing(id);
        createAgainWorks(b, id);
    }

    // ---- a real SIGKILL of the daemon --------------------------------------------------------------------------

    /**
     * SIGKILL of the daemon at a few delays into a create it serves. Where it lands varies with the load, so only
     * what holds at every step is asserted: the client ends with 0 (the create was done, or the client ran it in a
     * JVM of its own because the daemon was already gone) and the container is created, or with the one error line;
     * delete -f cleans; the id works again.
     */
    @Test
    void daemonKilledWithSigkillDuringACreateLeavesNothingDeleteCannotClean() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        for (long delay : new long[] {0, 100, 250, 500, 1000}) {
            String id = uid();
            Process daemon = startDaemon(null);
            Path out = work.resolve("create-" + delay + ".out");
            Process client = startThroughDaemon(out, "create", "--bundle", b.dir().toString(), id);
            Thread.sleep(delay); // where it dies varies with the load; the assertions below hold for any step
            daemon.destroyForcibly();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            assertTrue(client.waitFor(120, TimeUnit.SECONDS), "the client hangs after its daemon was killed at " + delay + " ms");
            String said = Files.readString(out);
            if (client.exitValue() == 0) {
                assertEquals("created", status(id), "exit 0 after kill at " + delay + " ms: " + said);
            } else {
                assertLost(said);
                createdOrStoppedIfItExists(id, "after kill -9 of the daemon at " + delay + " ms");
            }
            deleteLeavesNothing(id);
            createAgainWorks(b, id);
        }
    }

    /**
     * SIGKILL of the daemon while a createRuntime hook of the call it serves runs (the hook started a child and
     * waits for it, for ever). The hook is the client's child (the daemon has its caller spawn hooks, so they run
     * with the caller's credentials and context): the client reports the lost daemon and exits, the kernel kills the
     * hook with it (its parent-death signal), and delete -f kills the child the hook left in its session.
     */
    @Test
    void aHookRunningWhenTheDaemonIsKilledDiesWithIt() throws Exception {
        Bundle b = withBlockingHook(bundle("b", "sleep", "1000"));
        String id = uid();
        blockHooks(true);
        Process daemon = startDaemon(null);
        Path out = work.resolve("create.out");
        Process client = startThroughDaemon(out, "create", "--bundle", b.dir().toString(), id);
        killWhileTheHookRuns(daemon, client.pid(), b, id, () -> {
            assertTrue(client.waitFor(120, TimeUnit.SECONDS), "the client hangs after its daemon was killed");
            assertNotEquals(0, client.exitValue());
            assertLost(Files.readString(out));
        });
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /**
     * A daemon on a socket of this test's own, armed at point (null: not armed), as a child of this JVM; returns once
     * it answers `daemon status`.
     */
    private Process startDaemon(String point) throws Exception {
        Path dir = Files.createDirectories(work.resolve("daemon-" + daemons.size()));
        Path socket = dir.resolve("d.sock");
        ProcessBuilder pb = new ProcessBuilder(faultInjectingJvm("daemon", "run", "--socket", socket.toString()))
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile());
        if (point != null) {
            pb.environment().put("JRUNTIME_CRASH_AT", point);
        }
        Process d = pb.start();
        daemons.add(d);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && d.isAlive()) {
            if (Jruntime.exec(List.of(Jruntime.defaultBinary().toString(), "daemon", "status", "--socket", socket.toString()),
                    null, 60).exitCode() == 0) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the daemon did not answer within 60 s: " + Files.readString(dir.resolve("daemon.log")));
    }

    private Path socket() {
        return work.resolve("daemon-" + (daemons.size() - 1)).resolve("d.sock");
    }

    private Map<String, String> daemonEnv() {
        return Map.of("JRUNTIME_DAEMON", "1", "JRUNTIME_DAEMON_SOCKET", socket().toString());
    }

    /** bin/jruntime --root ROOT args, through the last daemon started; stdio to files. */
    private Jruntime.Result throughDaemon(String... args) {
        return Jruntime.exec(jr.command(args), null, 120, null, daemonEnv());
    }

    private Process startThroughDaemon(Path output, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(jr.command(args)).redirectInput(new File("/dev/null"))
                .redirectOutput(output.toFile()).redirectErrorStream(true);
        pb.environment().putAll(daemonEnv());
        return pb.start();
    }

    /** The daemon halted at point (exit 137, its log says where), and the client said so in one line, exit != 0. */
    private void assertHaltedAndReported(Process daemon, String point, Jruntime.Result client) throws Exception {
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon did not halt at " + point);
        String log = Files.readString(socket().resolveSibling("daemon.log"));
        assertEquals(HALTED, daemon.exitValue(), "the daemon halted: " + log);
        assertTrue(log.contains("halting at " + point), "the daemon served the call and halted at " + point + ": " + log);
        assertNotEquals(0, client.exitCode(), "the client reports failure: " + client);
        assertLost(client.stderr());
    }

    /** One line, the launcher's, naming what happened (container output aside, nothing else is said). */
    private static void assertLost(String said) {
        List<String> lines = said.lines().filter(l -> l.contains("jruntime")).toList();
        assertEquals(1, lines.size(), "one error line: " + said);
        assertTrue(lines.get(0).contains(LOST) && lines.get(0).contains("level=error"), said);
    }
}
