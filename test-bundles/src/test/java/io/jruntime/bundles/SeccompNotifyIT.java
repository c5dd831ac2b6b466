package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SCMP_ACT_NOTIFY: the notify fd reaches the agent on linux.seccomp.listenerPath with the container state, and the
 * agent's answers are what the container's syscalls return (with and without no_new_privs, which load the filter at
 * different points).
 */
class SeccompNotifyIT extends ContainerTestBase {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private void notifyMkdir(ObjectNode c, Path socket, boolean noNewPrivs) {
        ((ObjectNode) c.path("process")).put("noNewPrivileges", noNewPrivs);
        ObjectNode sc = ((ObjectNode) c.path("linux")).putObject("seccomp");
        sc.put("defaultAction", "SCMP_ACT_ALLOW");
        sc.put("listenerPath", socket.toString());
        sc.put("listenerMetadata", "jrit-meta");
        sc.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        ObjectNode rule = sc.putArray("syscalls").addObject();
        rule.putArray("names").add("mkdir").add("mkdirat");
        rule.put("action", "SCMP_ACT_NOTIFY");
    }

    @Test
    void notifyFdReachesTheAgentWhichAnswersTheSyscall() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "the test agent needs python3");
        Path agentScript = work.resolve("agent.py");
        try (InputStream in = getClass().getResourceAsStream("seccomp-agent.py")) {
            Files.copy(in, agentScript);
        }
        for (boolean nnp : List.of(true, false)) {
            String name = nnp ? "nnp" : "caps";
            Path socket = work.resolve(name + ".sock");
            Path received = work.resolve(name + ".json");
            Process agent = new ProcessBuilder(PYTHON.toString(), agentScript.toString(), socket.toString(), received.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve(name + ".agent.log").toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 20_000;
                while (!Files.exists(Path.of(received + ".ready")) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Bundle b = bundle("b-" + name, "sh", "-c", "mkdir /tmp/x 2>&1; echo rc=$?; ls /tmp");
                b.edit(c -> notifyMkdir(c, socket, nnp));
                Jruntime.Result r = jr.run(b.dir(), 60, "run", id(name));
                assertEquals(0, r.exitCode(), r.toString());
                assertTrue(r.stdout().contains("Invalid cross-device link") && r.stdout().contains("rc=1"),
                        "the agent's -EXDEV is what mkdir returned: " + r);
                JsonNode msg = Bundle.parse(Files.readString(received));
                assertEquals("[\"seccompFd\"]", msg.path("fds").toString(), msg.toString());
                assertEquals("jrit-meta", msg.path("metadata").asText());
                assertTrue(msg.path("pid").asInt() > 0, msg.toString());
                assertEquals(id(name), msg.path("state").path("id").asText(), msg.toString());
                assertEquals("creating", msg.path("state").path("status").asText(), msg.toString());
            } finally {
                agent.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void execdProcessHandsItsOwnNotifyFdOver() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "the test agent needs python3");
        Path agentScript = work.resolve("agent.py");
        try (InputStream in = getClass().getResourceAsStream("seccomp-agent.py")) {
            Files.copy(in, agentScript);
        }
        Path socket = work.resolve("a.sock");
        Path received = work.resolve("a.json");
        Process agent = new ProcessBuilder(PYTHON.toString(), agentScript.toString(), socket.toString(), received.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Files.exists(Path.of(received + ".ready")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Bundle b = bundle("b", "sleep", "1000");
            b.edit(c -> notifyMkdir(c, socket, true));
            jr.run("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
            Jruntime.Result r = jr.run(null, 60, "exec", id("c"), "sh", "-c", "mkdir /tmp/y 2>&1; echo rc=$?");
            assertTrue(r.stdout().contains("Invalid cross-device link") && r.stdout().contains("rc=1"), r.toString());
            JsonNode second = Bundle.parse(Files.readString(Path.of(received + ".2")));
            assertEquals("running", second.path("state").path("status").asText(), second.toString());
            int initPid = Bundle.parse(jr.run("state", id("c")).stdout()).path("pid").asInt();
            assertNotEquals(initPid, second.path("pid").asInt(), "the exec'd process's own pid: " + second);
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void notifyWithoutListenerPathFailsNamingTheField() {
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            notifyMkdir(c, work.resolve("x.sock"), true);
            ((ObjectNode) c.path("linux").path("seccomp")).remove("listenerPath");
        });
        Jruntime.Result r = jr.run(b.dir(), 60, "run", id("c"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("listenerPath"), r.toString());
    }

    @Test
    void unreachableAgentFailsCreateAndLeavesNothing() {
        Bundle b = bundle("b", "true");
        b.edit(c -> notifyMkdir(c, work.resolve("nobody-listens.sock"), true));
        Jruntime.Result r = jr.run(b.dir(), 60, "run", id("c"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("seccomp agent") && r.stderr().contains("nobody-listens.sock"), r.toString());
        assertEquals("", jr.run("list", "-q").stdout());
    }
}
