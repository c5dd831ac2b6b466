package io.jruntime.bundles.engines;

import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every PodmanIT test again, with `jruntime daemon` serving bin/jruntime's quick commands. Podman calls the
 * runtime with an emptied environment, so the daemon listens on the default socket
 * (/run/jruntime-daemon/daemon.sock); the class is skipped when a daemon already listens there (not ours to
 * stop). That conmon still reaps the container (exit codes 42, 127, 126 reach Podman) shows the init was
 * started by the client, in conmon's process tree.
 */
class PodmanDaemonIT extends PodmanIT {
    private static final Path SOCKET = Path.of("/run/jruntime-daemon/daemon.sock");
    private boolean started;

    @BeforeAll
    void startDaemon() {
        Cmd.Result st = daemon("status");
        assumeTrue(st.exitCode() != 0, "a jruntime daemon already runs on " + SOCKET + ": " + st.stdout());
        daemon("start").ok();
        started = true;
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (!started) {
            return;
        }
        try {
            assertEquals("stopped", daemon("stop").ok().stdout().strip());
        } finally {
            for (ProcessHandle p : Cmd.processesWithArg(SOCKET.toString())) {
                Cmd.killTree(p);
            }
            Files.deleteIfExists(Path.of(SOCKET + ".log"));
            try {
                Files.deleteIfExists(SOCKET.getParent()); // made by the daemon; kept if anything else is in it
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // someone else's files
            }
        }
    }

    private static Cmd.Result daemon(String action) {
        return Cmd.run(List.of(Jruntime.defaultBinary().toString(), "daemon", action, "--socket", SOCKET.toString()),
                Map.of(), null, 60);
    }

    @Test
    void podmansCallsWentThroughTheDaemon() {
        Matcher before = Pattern.compile("served (\\d+)").matcher(daemon("status").ok().stdout());
        assertTrue(before.find());
        Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "echo via daemon; exit 7");
        assertEquals(7, r.exitCode(), r.toString());
        assertEquals("via daemon\n", r.stdout());
        Matcher after = Pattern.compile("served (\\d+)").matcher(daemon("status").ok().stdout());
        assertTrue(after.find());
        assertTrue(Long.parseLong(after.group(1)) >= Long.parseLong(before.group(1)) + 3,
                "create, start and delete were served: " + before.group() + " -> " + after.group());
    }
}
