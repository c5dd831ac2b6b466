package io.jruntime.core.init;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * InitProtocol mirrors the tags of runtime-core/src/main/c/proto.h: both files are read and every tag must have
 * the same value on both sides, so a change to one without the other fails here instead of at run time.
 */
class InitProtocolDriftTest {
    /** C names whose Java name is not the C name without its P_/M_/A_ prefix. */
    private static final Map<String, String> RENAMED = Map.of("M_RUNTIME_HOOKS", "RUNTIME_HOOKS_REQUEST");

    @Test
    void javaTagsMatchProtoH() throws IOException, IllegalAccessException {
        Path header = Path.of("src/main/c/proto.h");
        if (!Files.exists(header)) {
            header = Path.of("runtime-core/src/main/c/proto.h");
        }
        String text = Files.readString(header);
        Map<String, Integer> fromC = new TreeMap<>();
        Matcher m = Pattern.compile("\\b([PMA])_([A-Z0-9_]+)\\s*=\\s*(\\d+)").matcher(text);
        while (m.find()) {
            String c = m.group(1) + "_" + m.group(2);
            fromC.put(RENAMED.getOrDefault(c, m.group(2)), Integer.parseInt(m.group(3)));
        }
        Matcher max = Pattern.compile("#define MAX_PACKET \\((\\d+) \\* (\\d+)\\)").matcher(text);
        if (max.find()) {
            fromC.put("MAX_PACKET", Integer.parseInt(max.group(1)) * Integer.parseInt(max.group(2)));
        }
        Map<String, Integer> fromJava = new TreeMap<>();
        for (Field f : InitProtocol.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                fromJava.put(f.getName(), f.getInt(null));
            }
        }
        assertEquals(fromC, fromJava, "InitProtocol.java and proto.h disagree (name = value)");
    }
}
