package io.jruntime.bundles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Every CheckpointRestoreIT test again, with `jruntime daemon` serving the calls it takes (checkpoint unless lazy,
 * restore --detach unless lazy, and the lifecycle around them): the restored process must carry on exactly as
 * after a checkpoint and restore made in JVMs of their own.
 */
@ExtendWith(DefaultSocketDaemon.class)
class CheckpointRestoreDaemonIT extends CheckpointRestoreIT {
    @Test
    void checkpointAndRestoreWentThroughTheDaemon() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        long before = DefaultSocketDaemon.served();
        Path images = work.resolve("images");
        checkpoint(id("c"), images, work.resolve("dump-work")).assertOk();
        int frozen = counter(b);
        assertGone(id("c"));
        restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
        assertEquals(before + 3, DefaultSocketDaemon.served(), "checkpoint, state and restore were served");
        awaitCounterAbove(b, frozen + 5);
        // CRIU ran as the client's child and restored the tree as its sibling: the init is not the daemon's child
        int pid = Bundle.parse(jr.run("state", id("c")).stdout()).path("pid").asInt();
        String ppid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("PPid:")).findFirst().orElseThrow().substring(5).strip();
        assertNotEquals(Long.toString(DefaultSocketDaemon.pid()), ppid, "restored init's parent");
        jr.run("delete", "--force", id("c")).assertOk();
    }
}
