package io.jruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.cli.log.LogLine;
import io.jruntime.cli.log.Logging;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.LogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log lines as runc (logrus) writes them: containerd and Podman parse them. */
class LogLineTest {
    private static final String T = "2026-11-23T11:22:40Z";

    @Test
    void jsonLineKeyOrderAndTime() throws Exception {
        String line = LogLine.format(true, "error", "container \"x\" does not exist", T, null, null);
        assertEquals("{\"level\":\"error\",\"msg\":\"container \\\"x\\\" does not exist\",\"time\":\"2026-11-23T11:22:40Z\"}\n", line);
        JsonNode n = new ObjectMapper().readTree(line);
        Iterator<String> keys = n.fieldNames();
        assertEquals(List.of("level", "msg", "time"), List.of(keys.next(), keys.next(), keys.next()));
    }

    @Test
    void jsonEscapesLikeGo() {
        String line = LogLine.format(true, "error", "a<b>&c\n\t\u0001\u2028", T, null, null);
        assertTrue(line.contains("\"msg\":\"a\\u003cb\\u003e\\u0026c\\n\\t\\u0001\\u2028\""), line);
    }

    @Test
    void debugFieldsAreSortedFirst() {
        String line = LogLine.format(true, "debug", "m", T, "io.x.Y.z", "Y.java:3");
        assertEquals("{\"file\":\"Y.java:3\",\"func\":\"io.x.Y.z\",\"level\":\"debug\",\"msg\":\"m\",\"time\":\"2026-11-23T11:22:40Z\"}\n", line);
    }

    @Test
    void textLineLikeLogrus() {
        assertEquals("time=\"2026-11-23T11:22:40Z\" level=error msg=\"container does not exist\"\n",
                LogLine.format(false, "error", "container does not exist", T, null, null));
        assertEquals("time=\"2026-11-23T11:22:40Z\" level=error msg=EOF\n", LogLine.format(false, "error", "EOF", T, null, null),
                "logrus leaves values of [A-Za-z0-9-._/@^+] unquoted");
        assertEquals("time=\"2026-11-23T11:22:40Z\" level=warning msg=\"say \\\"hi\\\"\\n\"\n",
                LogLine.format(false, "warning", "say \"hi\"\n", T, null, null));
    }

    @Test
    void levelNames() {
        assertEquals("error", LogLine.levelName(Level.SEVERE.intValue()));
        assertEquals("warning", LogLine.levelName(Level.WARNING.intValue()));
        assertEquals("info", LogLine.levelName(Level.INFO.intValue()));
        assertEquals("info", LogLine.levelName(Level.CONFIG.intValue()));
        assertEquals("debug", LogLine.levelName(Level.FINE.intValue()));
        assertEquals("trace", LogLine.levelName(Level.FINEST.intValue()));
        assertEquals("fatal", LogLine.levelName(io.jruntime.cli.log.LogrusHandler.FATAL.intValue()));
    }

    @Test
    void rfc3339InUtc() {
        if (java.util.TimeZone.getDefault().getRawOffset() == 0 && !java.util.TimeZone.getDefault().useDaylightTime()) {
            assertEquals("2026-11-23T11:22:40Z", LogLine.rfc3339(1795432960000L));
        }
    }

    @Test
    void rfc3339() {
        String t = LogLine.rfc3339(1795432960000L);
        assertTrue(t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)"), t);
    }

    @Test
    void javaUtilLoggingGoesThroughTheSameFormat(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("log.json");
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Logging.configure(new GlobalOptions(tmp, log, LogFormat.JSON, false, false, null, null), err);
        Logging.installJulNow();
        Logger l = Logger.getLogger("io.jruntime.test");
        l.info("hello {0}");
        l.log(Level.WARNING, "value {0}", 7);
        l.fine("not at info level");
        Logger.getLogger("elsewhere").severe("not ours");
        Logging.close();
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"level\":\"info\",\"msg\":\"hello {0}\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"level\":\"warning\",\"msg\":\"value 7\""), lines.get(1));

        Path log2 = tmp.resolve("debug.log");
        Logging.configure(new GlobalOptions(tmp, log2, LogFormat.TEXT, true, false, null, null), err);
        Logger.getLogger("io.jruntime.test").fine("now visible");
        Logging.close();
        String text = Files.readString(log2);
        assertTrue(text.contains("level=debug msg=\"now visible\""), text);
        assertTrue(text.contains("func="), text);
        assertFalse(text.contains("{"), text);
    }

    /**
     * --debug switches io.jruntime.core.log.Debug on (off again without it); its lines name the caller above Debug,
     * and the init helper's relayed lines carry no func/file, as runc's nsexec lines.
     */
    @Test
    void debugLinesNameTheirCallerAndHelperLinesHaveNone(@TempDir Path tmp) throws Exception {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path log = tmp.resolve("debug.json");
        Logging.configure(new GlobalOptions(tmp, log, LogFormat.JSON, true, false, null, null), err);
        Logger tree = Logger.getLogger(Logging.ROOT_LOGGER);
        if (tree.getHandlers().length == 0) {
            // LogManager was configured before in this JVM (another test): a reset left the tree without its handler
            Logging.installJulNow();
            if (tree.getHandlers().length == 0) {
                tree.addHandler(new io.jruntime.cli.log.LogrusHandler());
            }
        }
        tree.setLevel(Level.FINE);
        assertTrue(io.jruntime.core.log.Debug.on());
        io.jruntime.core.log.Debug.log(LogLineTest.class, "a step");
        io.jruntime.core.log.Debug.helper("debug", "init-1[1]: mount proc on /proc");
        Logging.close();
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        JsonNode own = new ObjectMapper().readTree(lines.get(0));
        assertEquals("debug", own.path("level").asText());
        assertEquals("a step", own.path("msg").asText());
        assertTrue(own.path("func").asText().endsWith("LogLineTest.debugLinesNameTheirCallerAndHelperLinesHaveNone"), lines.get(0));
        assertTrue(own.path("file").asText().startsWith("LogLineTest.java:"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"level\":\"debug\",\"msg\":\"init-1[1]: mount proc on /proc\",\"time\":"), lines.get(1));

        Path plain = tmp.resolve("plain.json");
        Logging.configure(new GlobalOptions(tmp, plain, LogFormat.JSON, false, false, null, null), err);
        assertFalse(io.jruntime.core.log.Debug.on());
        io.jruntime.core.log.Debug.log(LogLineTest.class, "not written");
        io.jruntime.core.log.Debug.helper("debug", "init-1[1]: not written");
        Logging.close();
        assertEquals(List.of(), Files.exists(plain) ? Files.readAllLines(plain) : List.of());
    }

    @Test
    void cgroupPathsForDebugLines() {
        java.util.Map<String, String> paths = new java.util.LinkedHashMap<>();
        paths.put("cpu", "/sys/fs/cgroup/cpu,cpuacct/c");
        paths.put("cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c");
        paths.put("memory", "/sys/fs/cgroup/memory/c");
        paths.put("", "/sys/fs/cgroup/unified/c");
        paths.put("jruntime.created", "cpu=1,cpuacct=1,memory=0,=1");
        assertEquals("[cpu,cpuacct=/sys/fs/cgroup/cpu,cpuacct/c, memory=/sys/fs/cgroup/memory/c (existing), "
                + "unified=/sys/fs/cgroup/unified/c]", io.jruntime.core.log.Debug.cgroupPaths(paths));
    }
}
