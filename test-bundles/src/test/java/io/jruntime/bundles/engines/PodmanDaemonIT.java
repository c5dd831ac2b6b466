package io.jruntime.bundles.engines;

import io.jruntime.bundles.DefaultSocketDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PodmanIT test again, with `jruntime daemon` serving bin/jruntime's quick commands (see
 * {@link DefaultSocketDaemon}). That conmon still reaps the container (exit codes 42, 127, 126 and 7 reach
 * Podman) shows the init was started by the client, in conmon's process tree.
 */
@ExtendWith(DefaultSocketDaemon.class)
class PodmanDaemonIT extends PodmanIT {
    @Test
    void podmansCallsWentThroughTheDaemon() {
        long before = DefaultSocketDaemon.served();
        Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "echo via daemon; exit 7");
        assertEquals(7, r.exitCode(), r.toString());
        assertEquals("via daemon\n", r.stdout());
        long after = DefaultSocketDaemon.served();
        assertTrue(after >= before + 3, "create, start and delete were served: " + before + " -> " + after);
    }
}
