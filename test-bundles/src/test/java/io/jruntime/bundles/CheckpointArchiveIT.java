package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code checkpoint --export FILE [--with-rootfs]} and {@code restore --import FILE [--mount DEST=SOURCE]}: one
 * archive restored into another bundle (another path, no config of its own, or one of its own) with another bind
 * source for the same destination.
 */
class CheckpointArchiveIT extends ContainerTestBase {
    private static final String COUNTER = "i=0; while :; do i=$((i+1)); echo $i > /data/c.new; mv /data/c.new /data/c; "
            + "sleep 0.05; done";

    private Bundle counterWithData(Path data) {
        Bundle b = bundle("b", "sh", "-c", COUNTER);
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/data").put("type", "bind").put("source", data.toString());
            m.putArray("options").add("rbind").add("rw");
        });
        return b;
    }



    private String start(Bundle b, Path data) throws Exception {
        String id = id("c");
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id).assertOk();
        awaitStatus(id, "running", 10_000);
        CounterFile.awaitAbove(data.resolve("c"), 3);
        return id;
    }

    @Test
    void exportWithRootfsImportsIntoAnEmptyBundleWithAnotherBindSource() throws Exception {
        Path dataA = Files.createDirectories(work.resolve("dataA"));
        Path dataB = Files.createDirectories(work.resolve("dataB"));
        Bundle b = counterWithData(dataA);
        String id = start(b, dataA);
        Path archive = work.resolve("out/c.tar");
        Files.createDirectories(archive.getParent());
        jr.run(null, 120, "checkpoint", "--export", archive.toString(), "--with-rootfs", id).assertOk();
        assertNotEquals(0, jr.run("state", id).exitCode(), "checkpoint without --leave-running removes the container");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
        try (var s = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), s.toList(), "no staging directory left next to the archive");
        }
        int frozen = CounterFile.read(dataA.resolve("c"));

        // "Another host": an empty bundle directory elsewhere, its own state root, another source for /data.
        Path target = work.resolve("elsewhere/bundle");
        Files.createDirectories(target);
        Jruntime other = new Jruntime(Jruntime.defaultBinary(), work.resolve("state-other"));
        String[] args = {"restore", "--detach", "--import", archive.toString(), "--bundle", target.toString(),
                "--mount", "/data=" + dataB, id("new")};
        Jruntime.Result r = other.runWithNullStdio(args);
        if (r.exitCode() != 0) {
            r = other.run(null, 120, args);
        }
        r.assertOk();
        try {
            assertTrue(Files.isRegularFile(target.resolve("config.json")), "the archive's config.json was provided");
            assertTrue(Files.isRegularFile(target.resolve("rootfs/bin/busybox")), "the archive's rootfs was unpacked");
            assertEquals("running", Bundle.parse(other.run("state", id("new")).stdout()).path("status").asText());
            assertTrue(CounterFile.awaitAbove(dataB.resolve("c"), frozen) > frozen, "the counter continues into the new source");
            assertEquals(frozen, CounterFile.read(dataA.resolve("c")), "the old source is no longer written");
            try (var s = Files.list(target)) {
                assertEquals(List.of("config.json", "rootfs"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no staging directory left in the bundle");
            }
        } finally {
            other.run("delete", "--force", id("new"));
        }
    }

    @Test
    void importWithAMissingMountSourceIsRefusedAndLeavesNothing() throws Exception {
        Path dataA = Files.createDirectories(work.resolve("dataA"));
        Bundle b = counterWithData(dataA);
        String id = start(b, dataA);
        Path archive = work.resolve("c.tar");
        jr.run(null, 120, "checkpoint", "--export", archive.toString(), "--with-rootfs", id).assertOk();

        Path target = Files.createDirectories(work.resolve("elsewhere/bundle"));
        Path missing = work.resolve("no-such-dir");
        Jruntime.Result r = jr.run(null, 120, "restore", "--detach", "--import", archive.toString(), "--bundle",
                target.toString(), "--mount", "/data=" + missing, id);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("mount /data: source " + missing + " does not exist on the target"), r.stderr());
        try (var s = Files.list(target)) {
            assertEquals(List.of(), s.toList(), "the bundle is as it was (no config.json, no rootfs, no staging)");
        }
        assertEquals("", jr.run("list", "-q").stdout().strip());

        // The archive is still good: with the source there, it restores.
        Path dataB = Files.createDirectories(work.resolve("dataB"));
        r = jr.runWithNullStdio("restore", "--detach", "--import", archive.toString(), "--bundle", target.toString(),
                "--mount", "/data=" + dataB, id);
        assertEquals(0, r.exitCode());
        CounterFile.awaitAbove(dataB.resolve("c"), 1);
        jr.run("delete", "--force", id).assertOk();
    }

    @Test
    void withRootfsWithoutExportIsRefused() throws Exception {
        Path dataA = Files.createDirectories(work.resolve("dataA"));
        Bundle b = counterWithData(dataA);
        String id = start(b, dataA);
        Jruntime.Result r = jr.run("checkpoint", "--with-rootfs", id);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("--with-rootfs is only meaningful with --export"), r.stderr());
        assertEquals("running", Bundle.parse(jr.run("state", id).stdout()).path("status").asText());
    }
}
