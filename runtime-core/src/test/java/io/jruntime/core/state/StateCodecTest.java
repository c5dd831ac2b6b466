package io.jruntime.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written state.json codec agrees with Jackson, both ways. */
class StateCodecTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static ContainerState sample() {
        return new ContainerState("1.2.0", "c-1", 4242, 123456789L, "/b \"quoted\"\\dir", "/b/rootfs",
                "2026-11-23T12:00:00.123456789Z", "root", Map.of("k", "v<&>\n\t\u0001é☃"),
                Map.of("memory", "/sys/fs/cgroup/memory/c-1", "", "/sys/fs/cgroup/unified/c-1"),
                Map.of("pid", "/proc/4242/ns/pid"), true, false, List.of("/dev/null", "pipe:[123]", ""));
    }

    @Test
    void encodesWhatJacksonReadsBack() throws Exception {
        ContainerState s = sample();
        assertEquals(s, JACKSON.readValue(StateCodec.encode(s), ContainerState.class));
        JsonNode tree = JACKSON.readTree(StateCodec.encode(s));
        assertEquals(JACKSON.readTree(JACKSON.writeValueAsBytes(s)), tree);
    }

    @Test
    void decodesWhatJacksonWrites() throws Exception {
        ContainerState s = sample();
        assertEquals(s, StateCodec.decode(JACKSON.writeValueAsBytes(s)));
        assertEquals(s, StateCodec.decode(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s)));
    }

    @Test
    void aRecordStillBeingMadeKeepsItsPhaseHelperAndHook() throws Exception {
        ContainerState s = sample().asCreating().withHelper(99, 12345L).withHook(101, 12399L);
        ContainerState back = StateCodec.decode(StateCodec.encode(s));
        assertEquals(s, back);
        assertEquals(true, back.creating());
        assertEquals(101, back.hookPid());
        assertEquals(0, s.complete().hookPid(), "a complete record names no hook");
        assertEquals(s, JACKSON.readValue(StateCodec.encode(s), ContainerState.class));
        assertEquals(JACKSON.readTree(JACKSON.writeValueAsBytes(s)), JACKSON.readTree(StateCodec.encode(s)));
        assertEquals(false, StateCodec.decode(StateCodec.encode(s.complete())).creating());
    }

    @Test
    void skipsUnknownFieldsAndToleratesNulls() {
        String json = "{\"future\":{\"a\":[1,2.5e3,{\"x\":null}],\"b\":true},\"id\":\"x\",\"initPid\":7,"
                + "\"annotations\":null,\"stdioPaths\":[],\"owner\":null,\"extra\":-3}";
        ContainerState s = StateCodec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("x", s.id());
        assertEquals(7, s.initPid());
        assertEquals(Map.of(), s.annotations());
        assertEquals("", s.owner());
    }

    @Test
    void malformedInputIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> StateCodec.decode("{\"id\":".getBytes(StandardCharsets.UTF_8)));
    }
}
