package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each failure gives an error naming what was wrong, a non-zero exit, and leaves nothing behind: no state
 * directory, no helper or init process, no mount (the base class checks mounts).
 */
class BadInputIT extends ContainerTestBase {

    private void assertFailsCleanly(Bundle b, String expectedInMessage) throws IOException {
        Jruntime.Result r = jr.run("create", "--bundle", b.dir().toString(), id("c"));
        assertNotEquals(0, r.exitCode(), "create must fail");
        assertTrue(r.stderr().contains(expectedInMessage), "stderr should mention \"" + expectedInMessage + "\": " + r.stderr());
        assertEquals("", jr.run("list", "-q").stdout(), "no container listed");
        if (Files.isDirectory(jr.root())) {
            try (Stream<Path> s = Files.list(jr.root())) {
                assertEquals(List.of(), s.toList(), "no state directory left");
            }
        }
    }

    private List<String> helpersBefore = List.of();

    @org.junit.jupiter.api.BeforeEach
    void helpersAlreadyThere() throws IOException {
        helpersBefore = helperProcesses();
    }

    /**
     * Other runs on the same machine (other worktrees' test suites) create containers too: only helpers that appeared
     * during this test and are this test's count (helperProcesses), and one that is merely on its way out (killed,
     * not yet reaped) gets up to 30 s.
     */
    @AfterEach
    void noHelperLeft() throws Exception {
        List<String> left = List.of();
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            left = new ArrayList<>(helperProcesses());
            left.removeAll(helpersBefore);
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        assertEquals(List.of(), left, "no jruntime-init process may survive a failed create");
    }

    /**
     * jruntime-init processes of this test run: a helper works in the directory jruntime was started in (this JVM's,
     * for every jruntime the tests start) until it enters the container's root, which lies under this test's work
     * directory; another suite's helpers work elsewhere.
     */
    List<String> helperProcesses() throws IOException {
        List<String> out = new ArrayList<>();
        Path here = Path.of("").toAbsolutePath();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline"));
                    Path cwd = Files.readSymbolicLink(p.resolve("cwd"));
                    if (cmd.startsWith("jruntime-init") && (cwd.equals(here) || cwd.startsWith(work))) {
                        out.add(p.getFileName() + " " + cmd.replace('\0', ' '));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void missingRootfs() throws IOException {
        Bundle b = bundle("b", "true");
        b.edit(c -> ((ObjectNode) c.path("root")).put("path", "no-such-rootfs"));
        assertFailsCleanly(b, "root.path");
    }

    @Test
    void malformedConfig() throws IOException {
        Bundle b = bundle("b", "true");
        Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": {");
        assertFailsCleanly(b, "config.json");
    }

    @Test
    void unknownNamespaceType() throws IOException {
        Bundle b = bundle("b", "true");
        b.edit(c -> ((ArrayNode) c.path("linux").path("namespaces")).addObject().put("type", "pidd"));
        assertFailsCleanly(b, "pidd");
    }

    @Test
    void missingBindSource() throws IOException {
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/data").put("type", "bind").put("source", work.resolve("nope").toString());
            m.putArray("options").add("rbind");
        });
        assertFailsCleanly(b, "/data");
    }

    @Test
    void missingExecutable() throws IOException {
        Bundle b = bundle("b", "no-such-program");
        assertFailsCleanly(b, "executable file not found in $PATH");
    }

    @Test
    void failingPrestartHook() throws IOException {
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode h = c.putObject("hooks").putArray("prestart").addObject();
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add("echo hook says no; exit 4");
        });
        assertFailsCleanly(b, "prestart");
    }

    @Test
    void mountThatFails() throws IOException {
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/weird").put("type", "nosuchfs").put("source", "none");
        });
        assertFailsCleanly(b, "/weird");
    }

    @Test
    void duplicateAndInvalidIds() throws IOException {
        Bundle b = bundle("b", "sleep", "100");
        jr.run("create", "--bundle", b.dir().toString(), id("c")).assertOk();
        Jruntime.Result dup = jr.run("create", "--bundle", b.dir().toString(), id("c"));
        assertNotEquals(0, dup.exitCode());
        assertTrue(dup.stderr().contains("already exists"), dup.stderr());
        Jruntime.Result bad = jr.run("create", "--bundle", b.dir().toString(), "../escape");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("invalid container id"), bad.stderr());
        jr.run("delete", "--force", id("c")).assertOk();
    }

    /** A plan field too big to hand to the init names the field and the limit; nothing is spawned or left. */
    @Test
    void tooLargeEnvironmentAndArgumentsNameTheFieldAndTheLimit() throws IOException {
        Bundle env = bundle("env", "true");
        env.edit(c -> ((ArrayNode) c.path("process").path("env")).add("BIG=" + "x".repeat(1 << 20)));
        assertFailsCleanly(env, "process.env: 1");
        Jruntime.Result r = jr.run("create", "--bundle", env.dir().toString(), id("c"));
        assertTrue(r.stderr().contains("262140 bytes"), r.stderr());

        Bundle args = bundle("args", "true");
        args.edit(c -> {
            ArrayNode a = ((ObjectNode) c.path("process")).putArray("args").add("echo");
            for (int i = 0; i < 3000; i++) {
                a.add("y".repeat(1000));
            }
        });
        assertFailsCleanly(args, "process.args: ");
    }

    /** A NUL byte would cut a C string short: refused by validation, naming the JSON path. */
    @Test
    void nulBytesAreRefusedWithTheirJsonPath() throws IOException {
        Bundle args = bundle("args", "echo", "a\u0000b");
        assertFailsCleanly(args, "process.args[1]: contains a NUL byte");
        Bundle env = bundle("env", "true");
        env.edit(c -> ((ArrayNode) c.path("process").path("env")).add("A=b\u0000c"));
        assertFailsCleanly(env, "process.env[");
        Bundle mount = bundle("mount", "true");
        mount.edit(c -> ((ArrayNode) c.path("mounts")).addObject().put("destination", "/a\u0000b").put("type", "tmpfs")
                .put("source", "tmpfs"));
        assertFailsCleanly(mount, "].destination: contains a NUL byte");
    }

    /** --root naming a file fails (as runc's "not a directory") instead of listing nothing. */
    @Test
    void rootThatIsNotADirectoryFails() throws IOException {
        Path file = work.resolve("a-file");
        Files.writeString(file, "x");
        for (String[] cmd : new String[][] {{"list"}, {"state", "x"}, {"delete", "-f", "x"}}) {
            List<String> argv = new ArrayList<>(List.of(Jruntime.defaultBinary().toString(), "--root", file.toString()));
            argv.addAll(List.of(cmd));
            Jruntime.Result r = Jruntime.exec(argv, null, 60);
            assertNotEquals(0, r.exitCode(), String.join(" ", cmd));
            assertTrue(r.stderr().contains(file + ": not a directory"), r.stderr());
        }
    }

    /**
     * Ids longer than a file name can be: no container can have one, so state and delete answer "does not exist"
     * (runc 1.1.5 prints its lstat error, "file name too long"); create refuses the id itself.
     */
    @Test
    void overlongIdsDoNotExistAndCannotBeCreated() throws IOException {
        Bundle b = bundle("b", "true");
        for (int n : new int[] {256, 1024}) {
            String id = "x".repeat(n);
            Jruntime.Result st = jr.run("state", id);
            assertNotEquals(0, st.exitCode());
            assertTrue(st.stderr().contains("does not exist"), st.stderr());
            Jruntime.Result del = jr.run("delete", id);
            assertTrue(del.stderr().contains("does not exist"), del.stderr());
            assertEquals(0, jr.run("delete", "-f", id).exitCode());
            Jruntime.Result create = jr.run("create", "--bundle", b.dir().toString(), id);
            assertNotEquals(0, create.exitCode());
            assertTrue(create.stderr().contains("invalid container id: " + n + " characters"), create.stderr());
        }
        assertEquals("", jr.run("list", "-q").stdout());
    }

    @Test
    void badSeccompProfileIsRefusedBeforeAnythingExists() throws IOException {
        // validated and compiled as a preflight (issue 15 item 8): the error names the JSON path
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode sc = ((ObjectNode) c.path("linux")).putObject("seccomp");
            sc.put("defaultAction", "SCMP_ACT_ERRNO");
            sc.putArray("syscalls").addObject().put("action", "SCMP_ACT_ALOW").putArray("names").add("read");
        });
        assertFailsCleanly(b, "linux.seccomp.syscalls[0].action: unknown seccomp action");

        // refused by libseccomp itself (two rules for kill with different actions that can both match), as by runc
        Bundle l = bundle("l", "true");
        l.edit(c -> {
            ObjectNode sc = ((ObjectNode) c.path("linux")).putObject("seccomp");
            sc.put("defaultAction", "SCMP_ACT_ERRNO");
            ArrayNode rules = sc.putArray("syscalls");
            ObjectNode allow = rules.addObject().put("action", "SCMP_ACT_ALLOW");
            allow.putArray("names").add("kill");
            allow.putArray("args").addObject().put("index", 0).put("value", 1).put("op", "SCMP_CMP_EQ");
            ObjectNode deny = rules.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 22);
            deny.putArray("names").add("kill");
            deny.putArray("args").addObject().put("index", 0).put("value", 1).put("op", "SCMP_CMP_EQ");
        });
        assertFailsCleanly(l, "linux.seccomp.syscalls[1]: libseccomp refused it");
    }
}
