package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --debug} (issue 13 item 19): every step of create, start, exec, kill, delete, checkpoint and restore is
 * logged at debug level in runc's logrus shape (json: level/msg/time, plus file/func for jruntime's own lines; the
 * init helper's lines relayed without them, marked "init-N[PID]:" as runc marks nsexec's), and nothing at debug
 * level is written without --debug. The helper's log channel never reaches the container.
 */
class DebugLogIT extends ContainerTestBase {
    private static final Pattern TEXT_LINE =
            Pattern.compile("time=\"[0-9T:+Z-]+\" level=(debug|info|warning|error) msg=(\"([^\"\\\\]|\\\\.)*\"|[A-Za-z0-9./_@^+-]+)( func=\\S+ file=\\S+)?");

    private String[] debugArgs(Path log, String format, String... rest) {
        List<String> a = new ArrayList<>(List.of("--debug", "--log", log.toString(), "--log-format", format));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    private String[] plainArgs(Path log, String... rest) {
        List<String> a = new ArrayList<>(List.of("--log", log.toString(), "--log-format", "json"));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    /** Every line of the file parsed as one JSON object with level, msg and time; fails naming a bad line. */
    static List<JsonNode> jsonLines(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            JsonNode n;
            try {
                n = Bundle.parse(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertTrue(n.isObject() && n.path("level").isTextual() && n.path("msg").isTextual() && n.path("time").isTextual(),
                    "line without level/msg/time: " + line);
            out.add(n);
        }
        return out;
    }

    static List<String> debugMessages(List<JsonNode> lines) {
        return lines.stream().filter(n -> n.path("level").asText().equals("debug")).map(n -> n.path("msg").asText()).toList();
    }

    static void assertLogged(List<String> msgs, String what, String regex) {
        Pattern p = Pattern.compile(regex);
        if (msgs.stream().noneMatch(m -> p.matcher(m).find())) {
            fail("no debug line for " + what + " (/" + regex + "/) among:\n" + String.join("\n", msgs));
        }
    }

    @Test
    void debugLogsEveryStepAsJsonLinesIncludingTheHelpers() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        Path log = work.resolve("debug.log");
        String id = id("c");
        // /dev/null stdio: the container is checkpointed below
        jr.runWithNullStdio(debugArgs(log, "json", "create", "--bundle", b.dir().toString(), id)).assertOk();
        jr.run(debugArgs(log, "json", "start", id)).assertOk();
        jr.run(debugArgs(log, "json", "exec", id, "true")).assertOk();
        Path images = work.resolve("images");
        jr.run(null, 120, debugArgs(log, "json", "checkpoint", "--image-path", images.toString(), "--work-path",
                work.resolve("dump-work").toString(), id)).assertOk();
        String[] restore = debugArgs(log, "json", "restore", "--detach", "--image-path", images.toString(), "--work-path",
                work.resolve("restore-work").toString(), "--bundle", b.dir().toString(), id);
        Jruntime.Result r = jr.runWithNullStdio(restore);
        assertEquals(0, r.exitCode(), "restore failed; log:\n" + Files.readString(log));
        jr.run(debugArgs(log, "json", "kill", id, "KILL")).assertOk();
        jr.run(debugArgs(log, "json", "delete", "--force", id)).assertOk();

        List<JsonNode> lines = jsonLines(log);
        List<String> msgs = debugMessages(lines);
        // jruntime's own steps
        assertLogged(msgs, "config loaded", "create " + id + ": config .*config.json loaded");
        assertLogged(msgs, "state directory", "state directory .* created and locked");
        assertLogged(msgs, "cgroups", "cgroups set up with linux.resources applied: \\[.*/" + id);
        assertLogged(msgs, "exec fifo", "exec fifo .*exec.fifo created");
        assertLogged(msgs, "helper spawned", "spawned jruntime-init \\(pid \\d+\\)");
        assertLogged(msgs, "state saved", "state saved: .*\\(complete\\)");
        assertLogged(msgs, "start", "start " + id + ": init released");
        assertLogged(msgs, "exec", "exec process pid \\d+ released to exec");
        assertLogged(msgs, "CRIU dump", "checkpoint " + id + ": CRIU dump of init pid \\d+ .*images " + images);
        assertLogged(msgs, "CRIU dump request", "sending DUMP request");
        assertLogged(msgs, "CRIU restore", "restore " + id + ": CRIU restore from images " + images);
        assertLogged(msgs, "CRIU restore request", "sending RESTORE request");
        assertLogged(msgs, "kill", "kill " + id + ": signal 9");
        assertLogged(msgs, "delete", "state directory .* removed");
        // the helper's steps, relayed and marked
        assertLogged(msgs, "helper stage 0", "^init-0\\[\\d+\\]: ~> jruntime-init stage-0: .*mode create");
        assertLogged(msgs, "helper mounts", "^init-1\\[1\\]: mount proc on /proc");
        assertLogged(msgs, "helper mount count", "^init-1\\[1\\]: mounts done: \\d+ mount\\(s\\)");
        assertLogged(msgs, "helper pivot", "^init-1\\[1\\]: entered the rootfs .*\\(pivot_root\\)");
        assertLogged(msgs, "helper caps", "^init-1\\[1\\]: capabilities set");
        assertLogged(msgs, "helper exec setns", "^init-0\\[\\d+\\]: setns\\(0x[0-9a-f]+\\) into mnt namespace");
        assertLogged(msgs, "helper for CRIU", "^init-0\\[\\d+\\]: restore mountpoints prepared");
        // shapes: jruntime's own lines carry func/file as runc's do under --debug; relayed helper lines do not
        for (JsonNode n : lines) {
            boolean helper = n.path("msg").asText().matches("^init-[01](\\[\\d+\\])?: .*");
            assertEquals(!helper, n.has("func") && n.has("file"), "func/file on " + n);
        }
        assertTrue(Files.readString(log).lines().noneMatch(l -> l.contains("\"level\":\"info\"") && l.contains("init-")),
                "helper lines are debug lines");
    }

    @Test
    void withoutDebugNothingIsLoggedAtDebugLevel() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        Path log = work.resolve("plain.log");
        String id = id("c");
        jr.runWithNullStdio(plainArgs(log, "create", "--bundle", b.dir().toString(), id)).assertOk();
        jr.run(plainArgs(log, "start", id)).assertOk();
        jr.run(plainArgs(log, "exec", id, "true")).assertOk();
        jr.run(plainArgs(log, "kill", id, "KILL")).assertOk();
        jr.run(plainArgs(log, "delete", "--force", id)).assertOk();
        List<JsonNode> lines = jsonLines(log);
        assertEquals(List.of(), debugMessages(lines), "debug lines without --debug");
    }

    @Test
    void textFormatLinesHaveLogrusShape() throws Exception {
        Bundle b = bundle("b", "true");
        Path log = work.resolve("text.log");
        String id = id("c");
        jr.run(debugArgs(log, "text", "run", "--bundle", b.dir().toString(), id)).assertOk();
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty(), "no lines");
        for (String l : lines) {
            assertTrue(TEXT_LINE.matcher(l).matches(), "not a logrus text line: " + l);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("level=debug msg=\"init-1[1]: mounts done:")), String.join("\n", lines));
    }

    /**
     * A full log channel never holds up the container: with the relay stalled (test switch) the helper's writes
     * fail at once instead of blocking, create succeeds, and the log says how many lines were dropped.
     */
    @Test
    void aFullLogChannelDropsLinesAndSaysSoInsteadOfBlocking() throws Exception {
        Bundle b = bundle("b", "sleep", "1000").edit(c -> {
            com.fasterxml.jackson.databind.node.ArrayNode mounts = (com.fasterxml.jackson.databind.node.ArrayNode) c.get("mounts");
            for (int i = 0; i < 600; i++) {
                com.fasterxml.jackson.databind.node.ObjectNode m = mounts.addObject();
                m.put("destination", "/many/m" + i).put("type", "tmpfs").put("source", "tmpfs");
                m.putArray("options").add("size=4k");
            }
        });
        Path log = work.resolve("debug.log");
        String id = id("c");
        Path libdir = Jruntime.defaultBinary().getParent().getParent().resolve("build/lib/jruntime");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djruntime.test.faultInjection=true", "-Djruntime.libdir=" + libdir,
                "-cp", libdir.resolve("jruntime.jar").toString(), "io.jruntime.cli.Main", "--root", jr.root().toString()));
        cmd.addAll(List.of(debugArgs(log, "json", "create", "--bundle", b.dir().toString(), id)));
        Jruntime.Result r = Jruntime.exec(cmd, null, 120, null, java.util.Map.of("JRUNTIME_CRASH_AT", "debug-log.stall"));
        assertEquals(0, r.exitCode(), r.stderr());
        List<JsonNode> lines = jsonLines(log);
        assertTrue(lines.stream().anyMatch(n -> n.path("level").asText().equals("warning")
                        && n.path("msg").asText().matches("init-1: \\d+ debug log line\\(s\\) dropped: the log channel was full.*")),
                "no note of dropped lines");
        long mountLines = debugMessages(lines).stream().filter(m -> m.matches("init-1\\[1\\]: mount tmpfs on /many/m\\d+ .*")).count();
        assertTrue(mountLines < 600, "every line fitted; the channel was never full (" + mountLines + ")");
        jr.run("delete", "--force", id).assertOk();
    }

    /**
     * The helper's log channel is the host's: with --debug on, the container's init and an exec'd process hold only
     * fds 0, 1 and 2 (the listing is of the shell's own fds, taken by a child ls).
     */
    @Test
    void logChannelDoesNotLeakIntoTheContainer() throws Exception {
        Bundle b = bundle("b", "sleep", "1000");
        Path log = work.resolve("debug.log");
        String id = id("c");
        jr.runWithNullStdio(debugArgs(log, "json", "run", "-d", "--bundle", b.dir().toString(), id)).assertOk();
        Jruntime.Result init = jr.run(debugArgs(log, "json", "exec", id, "ls", "/proc/1/fd"));
        assertEquals(0, init.exitCode(), init.stderr());
        assertEquals(List.of("0", "1", "2"), List.of(init.stdout().trim().split("\\s+")), "fds of the container's init");
        Jruntime.Result exec = jr.run(debugArgs(log, "json", "exec", id, "sh", "-c", "ls /proc/$$/fd; true"));
        assertEquals(0, exec.exitCode(), exec.stderr());
        assertEquals(List.of("0", "1", "2"), List.of(exec.stdout().trim().split("\\s+")), "fds of an exec'd process");
        assertLogged(debugMessages(jsonLines(log)), "the channel was in use", "^init-1\\[\\d+\\]: closing the log channel");
        jr.run("delete", "--force", id).assertOk();
    }
}
