package io.jruntime.core.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ContainerStatus;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hooks' state document, written with the streaming generator, is byte for byte what databind wrote before. */
class StateJsonTest {

    @Test
    void sameBytesAsTheObjectMapperVersion() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("a", "b<&>\"\\\n\u00e9\u2028");
        annotations.put("io.x/y", "");
        for (Map<String, String> a : List.of(Map.<String, String>of(), annotations)) {
            for (int pid : new int[] {0, 4242}) {
                ContainerState s = new ContainerState("1.2.0", "c-\u00fc\"1", pid, 7, "/b/\u00e9 x", "/b/rootfs",
                        "2026-01-02T03:04:05.123456789Z", "", a, Map.of(), Map.of(), false, false, List.of());
                for (ContainerStatus status : ContainerStatus.values()) {
                    assertEquals(databind(s, status), StateJson.of(s, status));
                }
            }
        }
    }

    /** The previous implementation. */
    private static String databind(ContainerState s, ContainerStatus status) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("ociVersion", io.jruntime.spec.Spec.OCI_VERSION);
        n.put("id", s.id());
        n.put("status", status.json());
        if (s.initPid() > 0 && status != ContainerStatus.STOPPED) {
            n.put("pid", s.initPid());
        }
        n.put("bundle", s.bundle());
        if (!s.annotations().isEmpty()) {
            ObjectNode a = n.putObject("annotations");
            s.annotations().forEach(a::put);
        }
        return n.toString();
    }
}
