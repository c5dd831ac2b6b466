package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The six hook kinds run in the spec's order, each with the state on stdin. */
class HooksIT extends ContainerTestBase {

    private static void addHook(ObjectNode config, String kind, String path, String script) {
        ObjectNode hooks = config.has("hooks") ? (ObjectNode) config.get("hooks") : config.putObject("hooks");
        ArrayNode list = hooks.has(kind) ? (ArrayNode) hooks.get(kind) : hooks.putArray(kind);
        ObjectNode h = list.addObject();
        h.put("path", path);
        h.putArray("args").add("sh").add("-c").add(script);
        h.put("timeout", 10);
    }

    @Test
    void hooksRunInOrderWithState() throws Exception {
        Path logDir = work.resolve("hooklog");
        Files.createDirectories(logDir);
        Path log = logDir.resolve("order");
        Bundle b = bundle("b", "sh", "-c", "echo process >> /hooklog/order");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/hooklog").put("type", "bind").put("source", logDir.toString());
            m.putArray("options").add("rbind").add("rw");
            addHook(c, "prestart", "/bin/sh", "echo prestart >> " + log + "; cat > " + logDir.resolve("prestart.json"));
            addHook(c, "createRuntime", "/bin/sh", "echo createRuntime >> " + log);
            addHook(c, "createContainer", "/bin/sh", "echo createContainer >> " + log);
            // startContainer runs inside the container after pivot_root: the container's own sh and path.
            addHook(c, "startContainer", "/bin/sh", "echo startContainer >> /hooklog/order");
            addHook(c, "poststart", "/bin/sh", "echo poststart >> " + log);
            addHook(c, "poststop", "/bin/sh", "echo poststop >> " + log + "; cat > " + logDir.resolve("poststop.json"));
        });
        jr.run("create", "--bundle", b.dir().toString(), id("c")).assertOk();
        assertEquals(List.of("prestart", "createRuntime", "createContainer"), Files.readAllLines(log));
        int pid = Bundle.parse(jr.run("state", id("c")).stdout()).path("pid").asInt();
        JsonNode st = Bundle.parse(Files.readString(logDir.resolve("prestart.json")));
        assertEquals(id("c"), st.path("id").asText());
        assertEquals(pid, st.path("pid").asInt());
        assertEquals(b.dir().toString(), st.path("bundle").asText());

        jr.run("start", id("c")).assertOk();
        awaitStatus(id("c"), "stopped", 5000);
        jr.run("delete", id("c")).assertOk();
        List<String> order = Files.readAllLines(log);
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer"), order.subList(0, 4));
        assertTrue(order.containsAll(List.of("process", "poststart")), order.toString());
        assertEquals("poststop", order.get(order.size() - 1));
        assertEquals("stopped", Bundle.parse(Files.readString(logDir.resolve("poststop.json"))).path("status").asText());
    }
}
