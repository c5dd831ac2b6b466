package io.jruntime.bundles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every CheckpointRestoreIT test again, with `jruntime daemon` serving the calls it takes (checkpoint unless
 * lazy, and the lifecycle around it; restore always runs in its own JVM): the restored process must carry on
 * exactly as after a checkpoint made in a JVM of its own.
 */
@ExtendWith(DefaultSocketDaemon.class)
class CheckpointRestoreDaemonIT extends CheckpointRestoreIT {
    @Test
    void checkpointWentThroughTheDaemon() throws Exception {
        Bundle b = bundle("b", "sleep", "300");
        assertEquals(0, jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id("c")).exitCode());
        long before = DefaultSocketDaemon.served();
        Jruntime.Result r = jr.run("checkpoint", "--image-path", work.resolve("img").toString(), id("c"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(DefaultSocketDaemon.served() >= before + 1, "the checkpoint was served by the daemon");
        assertEquals("stopped", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
    }
}
