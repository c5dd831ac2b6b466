package io.jruntime.core.security.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ContainerProcessState message runc's seccomp agents expect. */
class SeccompAgentTest {
    @Test
    void messageIsContainerProcessState() throws Exception {
        String state = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,\"bundle\":\"/b\"}";
        JsonNode m = new ObjectMapper().readTree(SeccompAgent.message(42, "meta \"quoted\"", state));
        assertEquals("1.0.2", m.path("ociVersion").asText());
        assertEquals("[\"seccompFd\"]", m.path("fds").toString());
        assertEquals(42, m.path("pid").asInt());
        assertEquals("meta \"quoted\"", m.path("metadata").asText());
        assertEquals("c1", m.path("state").path("id").asText());
        assertEquals("creating", m.path("state").path("status").asText());
    }

    @Test
    void missingMetadataIsEmpty() throws Exception {
        JsonNode m = new ObjectMapper().readTree(SeccompAgent.message(1, null, "{}"));
        assertEquals("", m.path("metadata").asText());
    }
}
