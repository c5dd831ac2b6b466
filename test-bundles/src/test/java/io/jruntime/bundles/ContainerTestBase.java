package io.jruntime.bundles;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gives each test its own work directory and state root, and after the test (pass or fail) force-deletes
 * every container left in that root, removes the directories, and fails the test if a mount under the work
 * directory survived.
 */
public abstract class ContainerTestBase {
    protected Path work;
    protected Jruntime jr;
    protected String testName;

    @BeforeEach
    void setUpWork(TestInfo info) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("integration tests run real containers and need root (run `make test` as root)");
        }
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
        work = Files.createTempDirectory("jruntime-it-");
        jr = new Jruntime(Jruntime.defaultBinary(), work.resolve("state"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (jr == null) {
            return;
        }
        if (Files.isDirectory(jr.root())) {
            for (String id : jr.run("list", "-q").stdout().split("\n")) {
                if (!id.isBlank()) {
                    jr.run("delete", "--force", id.trim());
                }
            }
        }
        List<String> leftovers = mountsUnder(work);
        for (String m : leftovers) {
            Jruntime.exec(List.of("umount", "-l", m), null, 10);
        }
        deleteTree(work);
        assertEquals(List.of(), leftovers, "mounts left behind under " + work);
    }

    /** A fresh bundle under the test's work directory. */
    protected Bundle bundle(String name, String... args) {
        return Bundle.create(work.resolve(name), jr, args);
    }

    /**
     * The test's container id for suffix. It ends with a token of this test run: the default cgroups are named after
     * the id, so two runs of the suite on one machine (other worktrees, a merge run) must never share one.
     */
    protected String id(String suffix) {
        return "it-" + testName.replaceAll("[^A-Za-z0-9]", "").toLowerCase() + "-" + suffix + "-" + RUN;
    }

    /** Four hex digits, new for each test JVM. */
    private static final String RUN = String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));

    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toString() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ")[4]).filter(mp -> mp.startsWith(prefix) || mp.equals(dir.toString())).toList();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Polls `state` until the status is the expected one, or fails after timeoutMs but never before a minute: each
     * poll is a JVM start, and on a loaded machine (CI runners, parallel suites) a few seconds can pass before a
     * status change is seen. The wait ends as soon as the status is there, so a long bound costs nothing.
     */
    protected void awaitStatus(String id, String status, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + Math.max(timeoutMs, 60_000);
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Jruntime.Result r = jr.run("state", id);
            if (r.exitCode() == 0) {
                last = Bundle.parse(r.stdout()).path("status").asText();
                if (last.equals(status)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        fail("container " + id + " did not reach status " + status + " (last: " + last + ")");
    }
}
