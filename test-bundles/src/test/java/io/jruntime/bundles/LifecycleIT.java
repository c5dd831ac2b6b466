package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** create/start/run/state/kill/delete as an engine drives them, checked by what a user sees. */
class LifecycleIT extends ContainerTestBase {

    @Test
    void runPrintsOutputAndReturnsExitCode() {
        Bundle b = bundle("b", "sh", "-c", "echo hello from the container; exit 3");
        Jruntime.Result r = jr.run(b.dir(), 60, "run", id("c"));
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("hello from the container\n", r.stdout());
        assertEquals(1, jr.run("state", id("c")).exitCode(), "run without --keep deletes the container");
    }

    @Test
    void createStartStateKillDelete() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        Path pidFile = work.resolve("init.pid");
        jr.run("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), id("c")).assertOk();

        JsonNode state = Bundle.parse(jr.run("state", id("c")).assertOk().stdout());
        assertEquals("created", state.path("status").asText());
        int pid = state.path("pid").asInt();
        assertEquals(Integer.toString(pid), Files.readString(pidFile).trim());
        assertEquals(b.dir().toString(), state.path("bundle").asText());
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "init process exists while created");

        jr.run("start", id("c")).assertOk();
        assertEquals("running", Bundle.parse(jr.run("state", id("c")).assertOk().stdout()).path("status").asText());
        // The user process replaced the init: its command line is now sleep's.
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep"));

        Jruntime.Result again = jr.run("start", id("c"));
        assertNotEquals(0, again.exitCode(), "a running container cannot be started twice");

        jr.run("kill", id("c"), "KILL").assertOk();
        awaitStatus(id("c"), "stopped", 5000);
        Jruntime.Result killStopped = jr.run("kill", id("c"), "9");
        assertNotEquals(0, killStopped.exitCode());
        assertTrue(killStopped.stderr().contains("container not running"), killStopped.stderr());

        jr.run("delete", id("c")).assertOk();
        Jruntime.Result gone = jr.run("state", id("c"));
        assertNotEquals(0, gone.exitCode());
        assertTrue(gone.stderr().contains("does not exist"), gone.stderr());
    }

    @Test
    void deleteRefusesRunningContainerUnlessForced() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        jr.run("run", "--detach", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "running", 5000);
        Jruntime.Result refused = jr.run("delete", id("c"));
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("not stopped"), refused.stderr());
        int pid = Bundle.parse(jr.run("state", id("c")).stdout()).path("pid").asInt();

        jr.run("delete", "--force", id("c")).assertOk();
        assertFalse(Files.exists(Path.of("/proc/" + pid)) && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z"),
                "init was killed");
        assertEquals(0, jr.run("delete", "--force", id("c")).exitCode(), "delete --force of a missing container succeeds");
        assertNotEquals(0, jr.run("delete", id("c")).exitCode(), "delete of a missing container fails");
    }

    @Test
    void deleteOfCreatedContainerKillsInit() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        jr.run("create", "--bundle", b.dir().toString(), id("c")).assertOk();
        int pid = Bundle.parse(jr.run("state", id("c")).stdout()).path("pid").asInt();
        jr.run("delete", id("c")).assertOk();
        assertFalse(Files.exists(Path.of("/proc/" + pid + "/cmdline"))
                && !Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z"));
    }

    @Test
    void killAcceptsSignalNamesAndNumbers() throws Exception {
        // the traps are in place once /tmp/ready exists (a signal before that would kill the shell); files are
        // written under another name and renamed, so a poll never sees one created but not yet written
        Bundle b = bundle("b", "sh", "-c", "trap 'echo got-usr1 > /tmp/sig.new; mv /tmp/sig.new /tmp/sig' USR1; "
                + "trap 'exit 0' TERM; touch /tmp/ready; while :; do sleep 0.05; done");
        jr.run("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitFile(b.dir().resolve("rootfs/tmp/ready"));
        jr.run("kill", id("c"), "SIGUSR1").assertOk();
        Path sigFile = b.dir().resolve("rootfs/tmp/sig");
        awaitFile(sigFile);
        assertEquals("got-usr1\n", Files.readString(sigFile));
        jr.run("kill", id("c"), "15").assertOk();
        awaitStatus(id("c"), "stopped", 5000);
    }

    @Test
    void listShowsContainers() {
        Bundle b = bundle("b", "sleep", "1000");
        jr.run("create", "--bundle", b.dir().toString(), id("a")).assertOk();
        String q = jr.run("list", "-q").assertOk().stdout();
        assertEquals(id("a") + "\n", q);
        JsonNode arr = Bundle.parse(jr.run("list", "--format", "json").assertOk().stdout());
        assertEquals("created", arr.get(0).path("status").asText());
    }

    /** Waits up to 60 s for f to exist (the container publishes it by rename or as an empty file). */
    private static void awaitFile(Path f) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(f) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(f), f + " did not appear within 60 s");
    }
}
