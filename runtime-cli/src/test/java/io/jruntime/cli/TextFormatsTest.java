package io.jruntime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jruntime.cli.text.GoJson;
import io.jruntime.cli.text.TabWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Go-compatible text: JSON escaping, tabwriter columns, flag value syntax. */
class TextFormatsTest {
    @Test
    void goJsonStrings() {
        assertEquals("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\r\\t\\u0000\\u001f\\u2028\\u2029é😀\"",
                GoJson.string(new StringBuilder(), "a<b>&\"\\\n\r\t\u0000\u001f\u2028\u2029é😀").toString());
        assertEquals("\"\\ufffd\"", GoJson.string(new StringBuilder(), "\ud800").toString(), "a lone surrogate becomes U+FFFD");
    }

    @Test
    void goJsonTreesPrettyAndCompact() throws Exception {
        var node = new ObjectMapper().readTree("{\"a\":[1,true,null,\"x\"],\"b\":{},\"c\":[],\"d\":{\"e\":1.5}}");
        assertEquals("{\"a\":[1,true,null,\"x\"],\"b\":{},\"c\":[],\"d\":{\"e\":1.5}}", GoJson.write(node, null));
        assertEquals("{\n  \"a\": [\n    1,\n    true,\n    null,\n    \"x\"\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": 1.5\n  }\n}",
                GoJson.write(node, "  "));
    }

    @Test
    void tabWriterLikeGo() {
        String t = new TabWriter(12, 3).row("ID", "PID", "X").row("a-very-long-id", "1", "last column is not padded").render();
        assertEquals("ID" + " ".repeat(15) + "PID         X\na-very-long-id   1           last column is not padded\n", t);
    }

    @Test
    void goIntegers() {
        assertEquals(10, GoValues.parseInt("10", "f", "c"));
        assertEquals(-10, GoValues.parseInt("-10", "f", "c"));
        assertEquals(31, GoValues.parseInt("0x1f", "f", "c"));
        assertEquals(15, GoValues.parseInt("0o17", "f", "c"));
        assertEquals(15, GoValues.parseInt("017", "f", "c"));
        assertEquals(5, GoValues.parseInt("0b101", "f", "c"));
        assertEquals(1000, GoValues.parseInt("1_000", "f", "c"));
        assertEquals(0, GoValues.parseInt("0", "f", "c"));
        UsageException e = assertThrows(UsageException.class, () -> GoValues.parseInt("x", "pids-limit", "update"));
        assertEquals("invalid value \"x\" for flag -pids-limit: parse error", e.getMessage());
        e = assertThrows(UsageException.class, () -> GoValues.parseInt("99999999999999999999", "f", "c"));
        assertEquals("invalid value \"99999999999999999999\" for flag -f: value out of range", e.getMessage());
        assertThrows(UsageException.class, () -> GoValues.parseUint("-1", "f", "c"));
        assertThrows(UsageException.class, () -> GoValues.parseInt("08", "f", "c"));
        assertThrows(UsageException.class, () -> GoValues.parseInt32("4294967296", "f", "c"));
    }

    @Test
    void goDurations() {
        assertEquals(Duration.ofSeconds(5), GoValues.parseDuration("5s", "interval", "events"));
        assertEquals(Duration.ofSeconds(90), GoValues.parseDuration("1m30s", "interval", "events"));
        assertEquals(Duration.ofMillis(250), GoValues.parseDuration("250ms", "interval", "events"));
        assertEquals(Duration.ofMinutes(90), GoValues.parseDuration("1.5h", "interval", "events"));
        assertEquals(Duration.ofNanos(-2000), GoValues.parseDuration("-2us", "interval", "events"));
        assertEquals(Duration.ZERO, GoValues.parseDuration("0", "interval", "events"));
        UsageException e = assertThrows(UsageException.class, () -> GoValues.parseDuration("1", "interval", "events"));
        assertEquals("invalid value \"1\" for flag -interval: parse error", e.getMessage());
        assertThrows(UsageException.class, () -> GoValues.parseDuration("5x", "interval", "events"));
    }

    @Test
    void memorySizes() {
        assertEquals(512L, GoValues.ramInBytes("512"));
        assertEquals(512L << 20, GoValues.ramInBytes("512m"));
        assertEquals(512L << 20, GoValues.ramInBytes("512M"));
        assertEquals(1L << 30, GoValues.ramInBytes("1g"));
        assertEquals(1L << 30, GoValues.ramInBytes("1GiB"));
        assertEquals(3L << 29, GoValues.ramInBytes("1.5g"));
        assertEquals(64L << 10, GoValues.ramInBytes("64 kb"));
        assertNull(GoValues.ramInBytes("abc"));
        assertNull(GoValues.ramInBytes("-5m"));
    }
}
