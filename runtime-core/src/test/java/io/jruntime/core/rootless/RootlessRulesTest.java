package io.jruntime.core.rootless;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.userns.IdMapWriter;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecTemplates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What rootless EUID refuses, and when jruntime writes id maps itself versus through newuidmap/newgidmap. */
class RootlessRulesTest {
    private static Spec edit(String json) {
        return SpecIO.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static String rootlessJson() {
        return new String(SpecIO.toJson(SpecTemplates.rootless(1000, 1000)), StandardCharsets.UTF_8);
    }

    @Test
    void specRootlessPassesForItsOwner() {
        assertDoesNotThrow(() -> RootlessRules.check(SpecTemplates.rootless(1000, 1000), 1000, 1000, false, false));
        assertEquals(List.of(), RootlessRules.problems(SpecTemplates.rootless(1000, 1000), 1000, 1000, true, true));
    }

    @Test
    void noUserNamespaceIsRefused() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> RootlessRules.check(SpecTemplates.runcDefault(), 1000, 1000, true, true));
        assertTrue(e.getMessage().startsWith("linux.namespaces: rootless container"), e.getMessage());
        assertTrue(e.getMessage().contains("requires a user namespace"), e.getMessage());
    }

    @Test
    void otherIdsNeedNewuidmap() {
        Spec s = edit(rootlessJson().replace("\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]",
                "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1},{\"containerID\":1,\"hostID\":100000,\"size\":65536}]"));
        assertEquals(2, s.linux().uidMappings().size());
        assertEquals(List.of(), RootlessRules.problems(s, 1000, 1000, true, true));
        List<String> p = RootlessRules.problems(s, 1000, 1000, false, true);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("linux.uidMappings:") && p.get(0).contains("newuidmap"), p.get(0));
        // someone else's single id too
        List<String> q = RootlessRules.problems(SpecTemplates.rootless(1000, 1000), 1001, 1000, false, false);
        assertTrue(q.get(0).startsWith("linux.uidMappings:"), q.toString());
    }

    @Test
    void supplementaryGroupsNeedNewgidmap() {
        Spec s = edit(rootlessJson().replace("\"user\":{\"uid\":0,\"gid\":0}", "\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[5]}"));
        assertEquals(List.of(5L), s.process().user().additionalGids().stream().map(Number::longValue).toList());
        List<String> p = RootlessRules.problems(s, 1000, 1000, true, true);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("process.user.additionalGids:") && p.get(0).contains("newgidmap"), p.get(0));
        Spec ranged = edit(rootlessJson().replace("\"user\":{\"uid\":0,\"gid\":0}", "\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[5]}")
                .replace("\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]",
                        "\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1},{\"containerID\":1,\"hostID\":100000,\"size\":65536}]"));
        assertEquals(List.of(), RootlessRules.problems(ranged, 1000, 1000, true, true));
    }

    @Test
    void netDevicesAndIdmappedMountsAreRefused() {
        Spec s = edit(rootlessJson().replace("\"linux\":{", "\"linux\":{\"netDevices\":{\"eth1\":{}},")
                .replace("{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}",
                        "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},{\"destination\":\"/data\",\"type\":\"bind\","
                                + "\"source\":\"/tmp\",\"options\":[\"rbind\"],\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
                                + "\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"));
        List<String> p = RootlessRules.problems(s, 1000, 1000, true, true);
        assertEquals(2, p.size(), p.toString() + " " + rootlessJson());
        assertTrue(p.get(0).startsWith("linux.netDevices:"), p.get(0));
        assertTrue(p.get(1).startsWith("mounts[1]: idmapped mounts"), p.get(1));
    }

    @Test
    void directWritesOnlyForOneLineOfOnesOwnId() {
        assertTrue(IdMapWriter.writableDirectly(List.of("0 1000 1"), 1000));
        assertFalse(IdMapWriter.writableDirectly(List.of("0 1000 2"), 1000));
        assertFalse(IdMapWriter.writableDirectly(List.of("0 1001 1"), 1000));
        assertFalse(IdMapWriter.writableDirectly(List.of("0 1000 1", "1 100000 65536"), 1000));
        assertTrue(IdMapWriter.setgroupsDenied(true, List.of("0 1000 1"), 1000));
        assertFalse(IdMapWriter.setgroupsDenied(true, List.of("0 1000 1", "1 100000 65536"), 1000));
        assertFalse(IdMapWriter.setgroupsDenied(false, List.of("0 1000 1"), 1000));
    }
}
