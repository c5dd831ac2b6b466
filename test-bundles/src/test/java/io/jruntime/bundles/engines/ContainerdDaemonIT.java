package io.jruntime.bundles.engines;

import io.jruntime.bundles.DefaultSocketDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ContainerdIT test again, with `jruntime daemon` serving the shim's quick calls (create, start, state,
 * exec --detach, kill, delete; see {@link DefaultSocketDaemon}). The shim is a child subreaper: that it still
 * reports the exit codes of the container and of exec processes shows they were started in its tree.
 */
@ExtendWith(DefaultSocketDaemon.class)
class ContainerdDaemonIT extends ContainerdIT {
    @Test
    void shimCallsWentThroughTheDaemon() {
        long before = DefaultSocketDaemon.served();
        Cmd.Result r = ctr(runWith("--rm", IMAGE, "cd-daemon", "sh", "-c", "echo via daemon; exit 5").toArray(String[]::new));
        assertEquals("via daemon\n", r.stdout().replace("\r", ""), r.toString());
        assertEquals(5, r.exitCode(), r.toString());
        long after = DefaultSocketDaemon.served();
        assertTrue(after >= before + 3, "create, start and delete were served: " + before + " -> " + after);
    }
}
