package io.jruntime.cli.daemon;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The launcher↔daemon wire protocol is written twice, in launcher.c and DaemonProtocol.java: every tag and field
 * position launcher.c names must exist in DaemonProtocol.java under the same name with the same number, the
 * packet size must agree, and the only Java constants launcher.c lacks are the packets JVMs send among
 * themselves (STOP, STATUS, INFO).
 */
class DaemonProtocolConformanceTest {
    private static final Path LAUNCHER = Path.of("src/main/c/launcher.c");
    private static final Set<String> JVM_ONLY = Set.of("STOP", "STATUS", "INFO");

    /** NAME = number inside launcher.c's enum blocks. */
    static Map<String, Integer> cConstants(String source) {
        Map<String, Integer> out = new TreeMap<>();
        Matcher block = Pattern.compile("enum\\s*\\{([^}]*)\\}").matcher(source);
        while (block.find()) {
            Matcher m = Pattern.compile("([A-Z][A-Z0-9_]*)\\s*=\\s*(\\d+)").matcher(block.group(1));
            while (m.find()) {
                Integer old = out.put(m.group(1), Integer.parseInt(m.group(2)));
                assertEquals(null, old, "launcher.c names " + m.group(1) + " twice");
            }
        }
        return out;
    }

    static Map<String, Integer> javaConstants() throws IllegalAccessException {
        Map<String, Integer> out = new TreeMap<>();
        for (Field f : DaemonProtocol.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !f.getName().equals("MAX_PACKET")) {
                f.setAccessible(true);
                out.put(f.getName(), f.getInt(null));
            }
        }
        return out;
    }

    @Test
    void launcherAndJavaAgreeOnEveryTagAndFieldPosition() throws Exception {
        Map<String, Integer> c = cConstants(Files.readString(LAUNCHER));
        Map<String, Integer> java = javaConstants();
        assertFalse(c.isEmpty(), "no enum constants found in " + LAUNCHER);
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            assertEquals(e.getValue(), java.get(e.getKey()), "launcher.c " + e.getKey() + " vs DaemonProtocol." + e.getKey());
        }
        Map<String, Integer> missing = new TreeMap<>(java);
        missing.keySet().removeAll(c.keySet());
        assertEquals(JVM_ONLY, missing.keySet(), "DaemonProtocol constants launcher.c does not name");
    }

    @Test
    void packetSizeAgrees() throws Exception {
        Matcher m = Pattern.compile("#define MAX_PACKET \\((\\d+) \\* (\\d+)\\)").matcher(Files.readString(LAUNCHER));
        assertFalse(!m.find(), "MAX_PACKET in launcher.c");
        assertEquals(DaemonProtocol.MAX_PACKET, Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2)));
    }

    @Test
    void driftIsDetected() {
        // the parser sees a changed number: the comparison above would then fail
        Map<String, Integer> c = cConstants("enum { HELLO = 9, FD = 2 };\nenum { HELLO_CWD = 1 };");
        assertEquals(Map.of("FD", 2, "HELLO", 9, "HELLO_CWD", 1), c);
    }
}
