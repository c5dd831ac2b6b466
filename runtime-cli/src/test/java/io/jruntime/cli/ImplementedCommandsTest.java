package io.jruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state, list, spec, features and --version against real (fabricated) state directories; no root needed. */
class ImplementedCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliHarness.Result run(String... args) {
        return CliHarness.real(tmp).run(args);
    }

    /** "running" is this JVM (alive, no exec fifo); "stopped" never had an init; "created" has an exec fifo. */
    private Path fabricate() throws IOException {
        Path root = tmp.resolve("root");
        StateStore store = new StateStore(root);
        int me = (int) ProcessHandle.current().pid();
        save(store, "running", me, ProcStat.startTime(me), Map.of("z.b", "x&y<", "a.a", "1"));
        save(store, "stopped", 0, 0, Map.of());
        save(store, "created", me, ProcStat.startTime(me), Map.of());
        Files.createFile(store.dir("created").resolve(StateStore.EXEC_FIFO));
        return root;
    }

    private static void save(StateStore store, String id, int pid, long start, Map<String, String> ann) {
        store.createDir(id);
        store.save(new ContainerState("1.0.2", id, pid, start, "/bundles/" + id, "/bundles/" + id + "/rootfs",
                "2026-11-23T11:27:33.895711028Z", "", ann, Map.of(), Map.of(), false, false, List.of()));
    }

    @Test
    void stateOfMissingContainer() {
        CliHarness.Result r = run("--root", tmp.toString(), "state", "nope");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void stateOfMissingRoot() {
        assertTrue(run("--root", tmp + "/none", "state", "nope").err().contains("does not exist"));
    }

    @Test
    void stateOfInvalidId() {
        CliHarness.Result r = run("--root", tmp.toString(), "state", "../x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("invalid container id"), r.err());
    }

    @Test
    void stateJsonLikeRunc() throws IOException {
        Path root = fabricate();
        CliHarness.Result r = run("--root", root.toString(), "state", "running");
        assertEquals(0, r.exit(), r.err());
        long pid = ProcessHandle.current().pid();
        assertEquals("{\n"
                + "  \"ociVersion\": \"1.2.0\",\n"
                + "  \"id\": \"running\",\n"
                + "  \"pid\": " + pid + ",\n"
                + "  \"status\": \"running\",\n"
                + "  \"bundle\": \"/bundles/running\",\n"
                + "  \"rootfs\": \"/bundles/running/rootfs\",\n"
                + "  \"created\": \"2026-11-23T11:27:33.895711028Z\",\n"
                + "  \"annotations\": {\n"
                + "    \"a.a\": \"1\",\n"
                + "    \"z.b\": \"x\\u0026y\\u003c\"\n"
                + "  },\n"
                + "  \"owner\": \"\"\n"
                + "}", r.out(), "runc's field order, 2-space indent, Go escaping, no trailing newline");
    }

    @Test
    void stoppedContainerHasPidZeroAndNoAnnotationsField() throws IOException {
        Path root = fabricate();
        JsonNode n = JSON.readTree(run("--root", root.toString(), "state", "stopped").out());
        assertEquals(0, n.get("pid").asInt());
        assertEquals("stopped", n.get("status").asText());
        assertFalse(n.has("annotations"));
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"), keys);
        // An exec fifo alone no longer makes "created": the init must still be jruntime-init (StatusResolver), and
        // this fabricated init is the test's JVM, so it reads as running (LifecycleIT covers a real created one).
        assertEquals("running", JSON.readTree(run("--root", root.toString(), "state", "created").out()).get("status").asText());
    }

    @Test
    void listTableLikeRunc() throws IOException {
        Path root = fabricate();
        CliHarness.Result r = run("--root", root.toString(), "list");
        assertEquals(0, r.exit(), r.err());
        String owner = new Owners(Path.of("/etc/passwd")).name((Integer) Files.getAttribute(root.resolve("running"), "unix:uid"));
        long pid = ProcessHandle.current().pid();
        String p = String.format("%-12s", pid);
        assertEquals(""
                + "ID          PID         STATUS      BUNDLE             CREATED                          OWNER\n"
                + "created     " + p + "running     /bundles/created   2026-11-23T11:27:33.895711028Z   " + owner + "\n"
                + "running     " + p + "running     /bundles/running   2026-11-23T11:27:33.895711028Z   " + owner + "\n"
                + "stopped     0           stopped     /bundles/stopped   2026-11-23T11:27:33.895711028Z   " + owner + "\n",
                r.out());
    }

    @Test
    void listJsonAndQuiet() throws IOException {
        Path root = fabricate();
        String json = run("--root", root.toString(), "list", "--format", "json").out();
        assertTrue(json.endsWith("]\n") && !json.contains("\n  "), "compact, one line: " + json);
        JsonNode a = JSON.readTree(json);
        assertEquals(3, a.size());
        Iterator<String> keys = a.get(2).fieldNames();
        List<String> k = new ArrayList<>();
        keys.forEachRemaining(k::add);
        assertEquals(List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"), k);
        assertEquals("x&y<", a.get(1).get("annotations").get("z.b").asText());
        assertTrue(json.contains("x\\u0026y\\u003c"), json);
        assertFalse(a.get(1).get("owner").asText().isEmpty(), "list fills in the owner from the state directory");
        assertEquals("created\nrunning\nstopped\n", run("--root", root.toString(), "list", "-q").out());
        assertEquals("created\nrunning\nstopped\n", run("--root", root.toString(), "list", "-q", "--format", "json").out());
    }

    @Test
    void listOfEmptyOrMissingRoot() {
        String header = "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n";
        assertEquals(header, run("--root", tmp + "/none", "list").out());
        assertEquals(header, run("--root", tmp.toString(), "list").out());
        assertEquals("null\n", run("--root", tmp.toString(), "list", "-f", "json").out());
        assertEquals("", run("--root", tmp.toString(), "list", "-q").out());
    }

    @Test
    void listWithBadFormat() {
        CliHarness.Result r = run("--root", tmp.toString(), "list", "--format", "yaml");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("invalid format option"), r.err());
    }

    @Test
    void specWritesAParsableConfig() throws IOException {
        CliHarness.Result r = run("spec", "--bundle", tmp.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode c = JSON.readTree(Files.readString(tmp.resolve("config.json")));
        assertTrue(c.has("ociVersion"));
        assertEquals("sh", c.get("process").get("args").get(0).asText());
        assertEquals("rootfs", c.get("root").get("path").asText());
    }

    @Test
    void specDefaultsToTheWorkingDirectory() {
        assertEquals(0, run("spec").exit());
        assertTrue(Files.exists(tmp.resolve("config.json")));
    }

    @Test
    void specRefusesToOverwrite() throws IOException {
        Files.writeString(tmp.resolve("config.json"), "mine");
        CliHarness.Result r = run("spec", "-b", tmp.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("File config.json exists. Remove it first"), r.err());
        assertEquals("mine", Files.readString(tmp.resolve("config.json")));
    }

    @Test
    void specIntoMissingBundle() {
        CliHarness.Result r = run("spec", "-b", tmp + "/nope");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("chdir " + tmp + "/nope: no such file or directory"), r.err());
    }

    @Test
    void specRootless() throws IOException {
        assertEquals(0, run("spec", "--rootless", "-b", tmp.toString()).exit());
        JsonNode c = JSON.readTree(Files.readString(tmp.resolve("config.json")));
        boolean userNs = false;
        for (JsonNode ns : c.get("linux").get("namespaces")) {
            userNs |= ns.get("type").asText().equals("user");
        }
        assertTrue(userNs, "a rootless spec has a user namespace");
        assertTrue(c.get("linux").has("uidMappings"));
    }

    @Test
    void featuresIsTheSpecDocumentWithRuncsIndent() throws IOException {
        CliHarness.Result r = run("features");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"1.2.0\",\n"), r.out());
        assertTrue(r.out().endsWith("}\n"));
        JsonNode f = JSON.readTree(r.out());
        assertTrue(f.get("hooks").isArray());
        assertTrue(f.get("linux").get("namespaces").isArray());
        assertEquals("0.1.0", f.get("annotations").get("io.jruntime.version").asText());
    }

    @Test
    void version() {
        CliHarness.Result r = run("--version");
        String[] lines = r.out().split("\n");
        assertEquals("jruntime version 0.1.0", lines[0]);
        assertEquals("spec: 1.2.0", lines[1]);
        assertTrue(lines[2].startsWith("java: " + Runtime.version().feature()), lines[2]);
        // runc's last line, from the libseccomp loaded through FFM (this machine has libseccomp2)
        assertTrue(lines[3].matches("libseccomp: \\d+\\.\\d+\\.\\d+"), lines[3]);
        assertEquals(4, lines.length, r.out());
    }

    /**
     * Engines match "does not exist" for every command on a missing container; delete --force succeeds. (Only
     * missing containers here: the fabricated "running" one is this JVM, which no command may act on.)
     */
    @Test
    void missingContainersDoNotExistForEveryCommand() throws IOException {
        Path root = fabricate();
        String r = root.toString();
        for (String[] cmd : List.of(new String[] {"start", "missing"}, new String[] {"kill", "missing", "9"},
                new String[] {"pause", "missing"}, new String[] {"resume", "missing"}, new String[] {"delete", "missing"},
                new String[] {"ps", "missing"}, new String[] {"update", "--memory", "1m", "missing"},
                new String[] {"checkpoint", "missing"}, new String[] {"events", "--stats", "missing"})) {
            List<String> args = new ArrayList<>(List.of("--root", r));
            args.addAll(List.of(cmd));
            CliHarness.Result res = run(args.toArray(new String[0]));
            assertEquals(1, res.exit(), String.join(" ", cmd));
            assertTrue(res.err().contains("does not exist"), String.join(" ", cmd) + ": " + res.err());
        }
        assertEquals(0, run("--root", r, "delete", "--force", "missing").exit(), "delete --force of a missing container succeeds");
        CliHarness.Result e = run("--root", r, "exec", "missing", "true");
        assertEquals(255, e.exit());
        assertTrue(e.err().contains("exec failed: container \\\"missing\\\" does not exist"), e.err());
        CliHarness.Result rs = run("--root", r, "restore", "--image-path", root.resolve("no-images").toString(), "x");
        assertEquals(1, rs.exit());
        assertTrue(rs.err().contains("config.json"), rs.err());
    }
}
